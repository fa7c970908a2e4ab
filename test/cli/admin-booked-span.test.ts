import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/admin/csv.js";
import type { RoundingPolicy } from "../../src/pairing/booked-span.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { Outbox } from "../../src/store/outbox.js";
import { type HarnessOptions, harness } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

const ANNA = "0F00A1B2C3";
const QUARTER_IN_FAVOUR_OF_THE_EMPLOYER: RoundingPolicy = {
  start: { stepMinutes: 15, direction: "down" },
  end: { stepMinutes: 15, direction: "up" },
  zone: "Europe/Berlin",
};

function site(options: HarnessOptions = {}) {
  const h = harness(options);
  const db = h.openDb();
  new BadgeRepository(db, h.clock).put({
    badgeId: ANNA,
    knownBits: 40,
    email: "anna@example.com",
    name: "Anna",
  });
  return { h, db, outbox: new Outbox(db) };
}

async function exportedEntries(h: ReturnType<typeof harness>) {
  const result = await h.cli("export", "--from", "2026-03-01", "--to", "2026-03-31");
  expect(result.code).toBe(0);
  const entries = result.stdout.split("\r\n\r\n")[1] ?? "";
  const parsed = parseCsv(entries);
  if (!parsed.ok) throw new Error(parsed.reason);
  const [header, ...rows] = parsed.records.map((record) => record.fields);
  return rows.map((row) => Object.fromEntries(row.map((cell, i) => [header?.[i], cell])));
}

describe("one booked span from tap to payroll", () => {
  it("exports and lists a shift within one minute as the minute GoodTime books, not 0.00 hours", async () => {
    const { h } = site({ now: "2026-03-10T12:43:10Z" });
    const tap = tapper(h.openDb(), h.clock, "boot-1", { minGapSeconds: 0 });
    tap(ANNA);
    h.clock.advance(40_000);
    expect(tap(ANNA).outcome).toBe("clock-out");

    const [row] = await exportedEntries(h);
    expect(row).toMatchObject({
      booked_start_local: "2026-03-10 13:43",
      booked_end_local: "2026-03-10 13:44",
      minutes: "1",
      hours: "0.02",
      raw_start_local: "2026-03-10 13:43:10",
      raw_end_local: "2026-03-10 13:43:50",
      rounding: "whole minutes",
    });
    const queue = await h.cli("queue");
    expect(queue.stdout).toMatch(/2026-03-10 13:43–13:44 +0\.02 +pending/);
    const [listed] = JSON.parse((await h.cli("queue", "--json")).stdout);
    expect(listed.booked).toEqual({
      start: "2026-03-10T12:43:00.000Z",
      end: "2026-03-10T12:44:00.000Z",
      minutes: 1,
      hours: "0.02",
    });
  });

  it("keeps the rounding of the day a shift closed, with the raw instants beside the booked ones", async () => {
    // The config has no rounding now: what was queued under a policy keeps it.
    const { h } = site({ now: "2026-03-10T06:52:30Z" });
    const tap = tapper(h.openDb(), h.clock, "boot-1", {
      rounding: QUARTER_IN_FAVOUR_OF_THE_EMPLOYER,
    });
    tap(ANNA);
    h.clock.advance(8 * 3_600_000 + 15 * 60_000);
    tap(ANNA);

    const [row] = await exportedEntries(h);
    expect(row).toMatchObject({
      booked_start_local: "2026-03-10 07:45",
      booked_end_local: "2026-03-10 16:15",
      booked_start_utc: "2026-03-10T06:45:00.000Z",
      booked_end_utc: "2026-03-10T15:15:00.000Z",
      minutes: "510",
      hours: "8.50",
      raw_start_local: "2026-03-10 07:52:30",
      raw_end_local: "2026-03-10 16:07:30",
      rounding: "start down to 15 min, end up to 15 min (Europe/Berlin)",
    });
    expect((await h.cli("queue")).stdout).toMatch(/2026-03-10 07:45–16:15 +8\.50 +pending/);
  });

  it("books a reviewed shift under the configured rounding and says what GoodTime gets", async () => {
    const { h, outbox } = site({
      now: "2026-03-10T07:04:00Z",
      entry: { rounding: { start: { stepMinutes: 30, direction: "nearest" }, end: null } },
    });
    const tap = tapper(h.openDb(), h.clock);
    tap(ANNA);
    h.clock.advance(14 * 3_600_000);
    expect(tap(ANNA)).toMatchObject({ outcome: "clock-in", reviewed: true });

    const result = await h.cli("review", "book", "1", "--end", "2026-03-10T16:30:20");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "2026-03-10 08:00 +01:00 to 2026-03-10 16:30 +01:00 (8.50 h as booked)",
    );
    const [entry] = outbox.list("pending");
    expect(entry?.start).toEqual(new Date("2026-03-10T07:04:00Z"));
    const [row] = await exportedEntries(h);
    expect(row).toMatchObject({ booked_start_utc: "2026-03-10T07:00:00.000Z", hours: "8.50" });
  });

  it("sends a shift shorter than pairing.minShiftSeconds to review with its end, instead of booking it", async () => {
    const { h, outbox } = site({ now: "2026-03-10T07:00:00Z" });
    const tap = tapper(h.openDb(), h.clock, "boot-1", { minGapSeconds: 30, minShiftSeconds: 300 });
    tap(ANNA);
    h.clock.advance(95_000);
    expect(tap(ANNA)).toMatchObject({ outcome: "clock-out", reviewed: true, entry: null });
    expect(outbox.list()).toEqual([]);

    const review = await h.cli("review");
    expect(review.stdout).toContain(
      "clocked out 95 s after clocking in (tap 2 at 2026-03-10T07:01:35Z), less than pairing.minShiftSeconds (300 s)",
    );
    const booked = await h.cli("review", "book", "1", "--end", "2026-03-10T07:01:35Z");
    expect(booked.code).toBe(0);
    expect(outbox.list()).toMatchObject([
      { state: "pending", end: new Date("2026-03-10T07:01:35Z") },
    ]);
  });
});
