import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { AdminEventLog } from "../../src/store/admin-events.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { Outbox } from "../../src/store/outbox.js";
import { ReviewList } from "../../src/store/reviews.js";
import { harness, withoutNote } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

const HOUR = 3_600_000;
const ANNA = "0F00A1B2C3";

/** Anna clocks in at 08:00 local and next taps 14 h later: the shift goes to review. */
function withOverlongShift() {
  const h = harness({ now: "2026-03-10T07:00:00Z" });
  const db = h.openDb();
  new BadgeRepository(db, h.clock).put({
    badgeId: ANNA,
    knownBits: 40,
    email: "anna@example.com",
    name: "Anna",
    projectId: "p1",
  });
  const tap = tapper(db, h.clock);
  tap(ANNA);
  h.clock.advance(14 * HOUR);
  const second = tap(ANNA);
  expect(second).toMatchObject({ outcome: "clock-in", reviewed: true });
  h.clock.advance(HOUR);
  return { h, db, reviews: new ReviewList(db), outbox: new Outbox(db) };
}

describe("timeclock review", () => {
  it("lists open reviews with the local start and the reason", async () => {
    const { h } = withOverlongShift();
    const table = await h.cli("review");
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.split("\n");
    expect(header).toMatch(/^id +user +start +since +reason$/);
    expect(row).toMatch(
      /^1 +anna@example.com \(Anna\) +2026-03-10 08:00 \+01:00 +2026-03-10 22:00 \+01:00 +shift open for more than 12 h/,
    );
    const json = JSON.parse((await h.cli("review", "--json")).stdout);
    expect(json).toMatchObject([
      { id: 1, email: "anna@example.com", start: "2026-03-10T07:00:00.000Z", resolution: null },
    ]);
  });

  it("books a review as a new pending entry and resolves it", async () => {
    const { h, db, reviews, outbox } = withOverlongShift();
    const result = await h.cli("review", "book", "1", "--end", "2026-03-10T16:30");
    expect(withoutNote(result.stderr)).toBe("");
    expect(result.code).toBe(0);
    const [entry, ...others] = outbox.list();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      email: "anna@example.com",
      start: new Date("2026-03-10T07:00:00Z"),
      end: new Date("2026-03-10T15:30:00Z"),
      state: "pending",
      startTapId: 1,
      endTapId: null,
      timeTypeId: "work",
      projectId: "p1",
      comment: "door Anna",
    });
    expect(entry?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.stdout).toContain(`booked review 1 as entry ${entry?.id} for anna@example.com`);
    expect(reviews.get(1)).toMatchObject({ resolution: "booked", entryId: entry?.id });
    expect(new AdminEventLog(db).list().at(-1)).toMatchObject({
      action: "review.book",
      subject: "1",
      detail: { entryId: entry?.id, end: "2026-03-10T15:30:00.000Z" },
    });
    expect((await h.cli("review")).stdout).toBe("(none)\n");
    const again = await h.cli("review", "book", "1", "--end", "2026-03-10T16:30");
    expect(again.code).toBe(ExitCode.conflict);
    expect(again.stderr).toContain(`review 1 was already booked as entry ${entry?.id}`);
  });

  it("takes an explicit start with an offset, and a long shift only with --force", async () => {
    const { h, outbox } = withOverlongShift();
    const long = [
      "review",
      "book",
      "1",
      "--start",
      "2026-03-09T20:00Z",
      "--end",
      "2026-03-10T21:00Z",
    ];
    const refused = await h.cli(...long);
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.stderr).toContain("the shift would last 25.0 h, more than 24 h");
    expect(outbox.list()).toEqual([]);
    expect((await h.cli(...long, "--force")).code).toBe(0);
    expect(outbox.list().at(-1)).toMatchObject({
      start: new Date("2026-03-09T20:00:00Z"),
      end: new Date("2026-03-10T21:00:00Z"),
    });
  });

  it("refuses a shift that overlaps another entry of the user unless forced", async () => {
    const { h, db, outbox } = withOverlongShift();
    const closing = tapper(db, h.clock)(ANNA);
    expect(closing.outcome).toBe("clock-out");
    h.clock.advance(HOUR);
    const overlapping = [
      "review",
      "book",
      "1",
      "--start",
      "2026-03-10T21:30Z",
      "--end",
      "2026-03-10T22:30Z",
    ];
    const refused = await h.cli(...overlapping);
    expect(refused.code).toBe(ExitCode.conflict);
    expect(refused.stderr).toContain(
      `the shift overlaps anna@example.com's entry ${closing.entry?.id} (pending, 2026-03-10 22:00 +01:00 to 2026-03-10 23:00 +01:00)`,
    );
    expect(outbox.list()).toHaveLength(1);
    expect((await h.cli(...overlapping, "--force")).code).toBe(0);
    expect(outbox.list()).toHaveLength(2);
  });

  it.each([
    [
      ["book", "1", "--end", "2026-03-10T07:59"],
      ExitCode.usage,
      "is not after the start 2026-03-10T07:00:00.000Z",
    ],
    [["book", "1", "--end", "2026-03-11T00:30"], ExitCode.usage, "is in the future"],
    [
      ["book", "1", "--end", "half past four"],
      ExitCode.usage,
      '--end "half past four" is not a date or time',
    ],
    [["book", "1"], ExitCode.usage, "required option '--end <time>' not specified"],
    [["book", "7", "--end", "2026-03-10T16:30"], ExitCode.notFound, "review 7 does not exist"],
    [
      ["book", "one", "--end", "2026-03-10T16:30"],
      ExitCode.usage,
      'review id "one" is not a number',
    ],
    [["discard", "1", "--reason", " "], ExitCode.usage, "--reason is empty"],
    [["discard", "1"], ExitCode.usage, "required option '--reason <text>' not specified"],
  ])("refuses %j", async (argv, code, message) => {
    const { h, reviews } = withOverlongShift();
    const result = await h.cli("review", ...argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect(reviews.countOpen()).toBe(1);
  });

  it("discards a review with its reason, booking nothing", async () => {
    const { h, db, reviews, outbox } = withOverlongShift();
    const result = await h.cli(
      "review",
      "discard",
      "1",
      "--reason",
      "forgot to clock out; sick leave",
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: "discarded review 1 (anna@example.com); reason recorded\n",
    });
    expect(reviews.get(1)).toMatchObject({
      resolution: "discarded",
      note: "forgot to clock out; sick leave",
    });
    expect(outbox.list()).toEqual([]);
    expect(new AdminEventLog(db).list().at(-1)).toMatchObject({
      action: "review.discard",
      detail: { reason: "forgot to clock out; sick leave" },
    });
    const again = await h.cli("review", "discard", "1", "--reason", "x");
    expect(again.stderr).toContain("review 1 was already discarded");
  });
});
