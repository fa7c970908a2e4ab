import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AdminDeps,
  discardEntry,
  hoursReport,
  READ_ONLY_LINK,
} from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/core/logger.js";
import { DoorReads } from "../../src/display/door-reads.js";
import { hoursText, hoursWindow, personHours } from "../../src/display/hours.js";
import type { RoundingPolicy } from "../../src/pairing/booked-span.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import type { PersonEntry } from "../../src/store/door.js";
import type { RecordedTap } from "../../src/store/journal.js";
import { tapper } from "../admin/seed.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

const ZONE = "Europe/Berlin";
const entry = (start: string, end: string, over: Partial<PersonEntry> = {}): PersonEntry => ({
  id: start,
  start: new Date(start),
  end: new Date(end),
  rounding: null,
  state: "booked",
  ...over,
});
const quarter: RoundingPolicy = {
  start: { stepMinutes: 15, direction: "up" },
  end: { stepMinutes: 15, direction: "down" },
  zone: ZONE,
};

describe("a person's hours as the door shows them", () => {
  // Wednesday 2026-03-11, 17:00 local.
  const now = new Date("2026-03-11T16:00:00Z");
  it.each([
    ["nothing yet", [], null, 0, 0],
    [
      "two days of the week",
      [
        entry("2026-03-09T07:00:00Z", "2026-03-09T15:30:00Z"),
        entry("2026-03-11T07:00:00Z", "2026-03-11T11:00:45Z"),
      ],
      null,
      240,
      750,
    ],
    [
      "a discarded entry does not count",
      [entry("2026-03-11T07:00:00Z", "2026-03-11T11:00:00Z", { state: "discarded" })],
      null,
      0,
      0,
    ],
    [
      "unbooked entries count",
      [entry("2026-03-11T07:00:00Z", "2026-03-11T08:00:00Z", { state: "pending" })],
      null,
      60,
      60,
    ],
    [
      "the entry's own rounding",
      [entry("2026-03-11T07:07:00Z", "2026-03-11T11:08:00Z", { rounding: quarter })],
      null,
      225,
      225,
    ],
    [
      "a night shift counts on the day it began (Tuesday)",
      [entry("2026-03-10T21:00:00Z", "2026-03-11T05:00:00Z")],
      null,
      0,
      480,
    ],
    [
      "last week's Sunday night is not this week",
      [entry("2026-03-08T21:00:00Z", "2026-03-09T05:00:00Z")],
      null,
      0,
      0,
    ],
    [
      "the open shift as if it ended now",
      [entry("2026-03-11T07:00:00Z", "2026-03-11T11:00:00Z")],
      new Date("2026-03-11T12:00:30Z"),
      480,
      480,
    ],
    ["an open shift of seconds books its one minute", [], new Date("2026-03-11T15:59:40Z"), 1, 1],
  ] as const)("%s", (_what, entries, openStart, today, week) => {
    expect(personHours(entries, openStart, null, now, ZONE)).toEqual({
      todayMinutes: today,
      weekMinutes: week,
    });
  });

  it("takes today's rounding for the open shift", () => {
    const open = new Date("2026-03-11T07:07:00Z");
    expect(personHours([], open, quarter, new Date("2026-03-11T11:08:00Z"), ZONE)).toEqual({
      todayMinutes: 225,
      weekMinutes: 225,
    });
  });

  it("has weeks from Monday and days of 23 and 25 hours at the DST changes", () => {
    const spring = hoursWindow(new Date("2026-03-29T10:00:00Z"), ZONE);
    expect(spring.weekStart.toISOString()).toBe("2026-03-22T23:00:00.000Z");
    expect(spring.dayStart.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(spring.dayEnd.getTime() - spring.dayStart.getTime()).toBe(23 * 3_600_000);
    const autumn = hoursWindow(new Date("2026-10-25T10:00:00Z"), ZONE);
    expect(autumn.dayEnd.getTime() - autumn.dayStart.getTime()).toBe(25 * 3_600_000);
    expect(autumn.weekEnd.toISOString()).toBe("2026-10-25T23:00:00.000Z");
  });

  it("counts 01:00 to 05:00 on the night of the autumn change as the 5 h GoodTime books", () => {
    const night = entry("2026-10-24T23:00:00Z", "2026-10-25T04:00:00Z");
    expect(personHours([night], null, null, new Date("2026-10-25T10:00:00Z"), ZONE)).toEqual({
      todayMinutes: 300,
      weekMinutes: 300,
    });
  });

  it.each([
    [0, "0:00"],
    [1, "0:01"],
    [508, "8:28"],
    [2443, "40:43"],
  ])("writes %i minutes as %s", (minutes, text) => {
    expect(hoursText(minutes)).toBe(text);
  });
});

describe("the door and the hours report agree", () => {
  it("shows after each tap the week the report counts, shifts over midnight and discarded ones included", async () => {
    const dir = tempDir("timeclock-door-hours-");
    const clock = new FakeClock("2026-03-09T06:00:00Z");
    const db = openDatabase(join(dir, "data"), { logger: silentLogger() });
    const ANNA = "0A00000001";
    new BadgeRepository(db, clock).putAll([
      { badgeId: ANNA, knownBits: 40, email: "anna@example.com", name: "Anna Schmidt" },
    ]);
    const config = parseConfig(
      {
        terminal: { dataDir: dir, timeZone: ZONE },
        server: { baseUrl: "https://x.example/g", loginEmail: "a@b.example" },
        entry: { timeTypeId: "work" },
      },
      "test",
    );
    const deps: AdminDeps = { db, clock, config, daemon: READ_ONLY_LINK, actor: "cli:test" };
    const tap = tapper(db, clock);
    const at = (iso: string): RecordedTap => {
      clock.advance(new Date(iso).getTime() - clock.now().getTime());
      return tap(ANNA);
    };
    const reads = new DoorReads(db, config, clock);
    const factsOf = (recorded: RecordedTap) =>
      reads.tapFacts({
        tapId: recorded.tapId,
        at: clock.now().toISOString(),
        badgeId: ANNA,
        knownBits: 40,
        outcome: recorded.outcome,
        reasonCode: recorded.reasonCode,
        email: recorded.email,
        badgeName: recorded.badgeName,
        entryId: recorded.entry?.id ?? null,
      });
    at("2026-03-09T07:00:00Z");
    expect(await factsOf(at("2026-03-09T15:30:20Z"))).toMatchObject({
      name: "Anna Schmidt",
      shiftMinutes: 510,
      todayMinutes: 510,
      weekMinutes: 510,
    });
    const dropped = at("2026-03-10T07:00:00Z");
    expect(await factsOf(dropped)).toMatchObject({
      todayMinutes: 1,
      weekMinutes: 511,
      openAfter: true,
    });
    const second = at("2026-03-10T08:00:00Z");
    await discardEntry(deps, { id: second.entry?.id ?? "", reason: "a test" });
    at("2026-03-10T21:00:00Z");
    const night = await factsOf(at("2026-03-11T05:00:00Z"));
    expect(night).toMatchObject({ shiftMinutes: 480, todayMinutes: 0, weekMinutes: 990 });
    const report = await hoursReport(deps, {
      from: "2026-03-09",
      to: "2026-03-15",
      period: "week",
    });
    expect(report.totals[0]?.minutes).toBe(night.weekMinutes);
    db.close();
  });
});
