import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AdminDeps,
  discardEntry,
  hoursReport,
  hoursReportCsv,
  READ_ONLY_LINK,
} from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/core/logger.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { Outbox } from "../../src/store/outbox.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";
import { tapper } from "./seed.js";

const ANNA = "0A00000001";
const BEN = "0B00000002";

/** A terminal's journal with shifts tapped at the given local (Berlin) times, through the real journal. */
function site() {
  const dir = tempDir("timeclock-reports-");
  const clock = new FakeClock("2026-03-01T00:00:00Z");
  const db = openDatabase(join(dir, "data"), { logger: silentLogger() });
  new BadgeRepository(db, clock).putAll([
    { badgeId: ANNA, knownBits: 40, email: "anna@example.com" },
    { badgeId: BEN, knownBits: 40, email: "ben@example.com" },
  ]);
  const config = parseConfig(
    {
      terminal: { dataDir: dir, timeZone: "Europe/Berlin" },
      server: { baseUrl: "https://x.example/g", loginEmail: "a@b.example" },
      entry: { timeTypeId: "work" },
    },
    "test",
  );
  const deps: AdminDeps = { db, clock, config, daemon: READ_ONLY_LINK, actor: "cli:test" };
  const tap = tapper(db, clock);
  // Wall and monotonic clocks move together, as in a day without clock steps; times go forward.
  const at = (iso: string, badge: string, source = "test") => {
    clock.advance(new Date(iso).getTime() - clock.now().getTime());
    return tap(badge, 40, true, source);
  };
  return { db, clock, deps, at };
}

describe("hours per person and period", () => {
  it("counts each shift on the local day it began, marks unbooked entries and open shifts, leaves out discarded ones", async () => {
    const { db, clock, deps, at } = site();
    at("2026-03-09T07:00:00Z", ANNA); // 08:00 local
    const first = at("2026-03-09T15:30:00Z", ANNA); // 16:30: 8.5 h
    at("2026-03-10T08:00:00Z", BEN);
    const dropped = at("2026-03-10T11:00:00Z", BEN);
    at("2026-03-10T21:00:00Z", ANNA); // 22:00 local, over midnight
    at("2026-03-11T05:00:00Z", ANNA); // 06:00: 8 h, on the 10th
    at("2026-03-11T08:00:00Z", BEN); // still in
    new Outbox(db).markBooked(first.entry?.id ?? "", "server-1", clock.now());
    await discardEntry(deps, { id: dropped.entry?.id ?? "", reason: "a test" });

    const daily = await hoursReport(deps, { from: "2026-03-09", to: "2026-03-11", period: "day" });
    expect(daily.rows).toEqual([
      {
        email: "anna@example.com",
        period: "2026-03-09",
        minutes: 510,
        entries: 1,
        unbooked: 0,
        openShift: false,
        byPin: 0,
      },
      {
        email: "anna@example.com",
        period: "2026-03-10",
        minutes: 480,
        entries: 1,
        unbooked: 1,
        openShift: false,
        byPin: 0,
      },
      {
        email: "ben@example.com",
        period: "2026-03-11",
        minutes: 0,
        entries: 0,
        unbooked: 0,
        openShift: true,
        byPin: 0,
      },
    ]);
    expect(
      daily.totals.map((sum) => [sum.email, sum.minutes, sum.unbooked, sum.openShift]),
    ).toEqual([
      ["anna@example.com", 990, 1, false],
      ["ben@example.com", 0, 0, true],
    ]);
    expect(daily.total.minutes).toBe(990);

    const weekly = await hoursReport(deps, {
      from: "2026-03-09",
      to: "2026-03-11",
      period: "week",
    });
    expect(weekly.rows.map((row) => [row.email, row.period, row.minutes])).toEqual([
      ["anna@example.com", "2026-W11", 990],
      ["ben@example.com", "2026-W11", 0],
    ]);
    const monthly = await hoursReport(deps, {
      from: "2026-03-01",
      to: "2026-03-31",
      period: "month",
    });
    expect(monthly.rows.map((row) => row.period)).toEqual(["2026-03", "2026-03"]);

    // The day before: Anna's shift of the 9th is not in it, and the night shift belongs to the 10th.
    const tenth = await hoursReport(deps, { from: "2026-03-10", to: "2026-03-10", period: "day" });
    expect(tenth.total.minutes).toBe(480);
  });

  it("counts a night over the change to summer time as the hours worked", async () => {
    const { deps, at } = site();
    at("2026-03-28T23:00:00Z", ANNA); // 00:00 local on the 29th
    at("2026-03-29T04:00:00Z", ANNA); // 06:00 local: five hours, not six
    const report = await hoursReport(deps, { from: "2026-03-29", to: "2026-03-29", period: "day" });
    expect(report.total.minutes).toBe(300);
  });

  it("writes a CSV for payroll whose totals add up, with no cell a spreadsheet would run", async () => {
    const { deps, at, db } = site();
    new BadgeRepository(db, deps.clock).put({
      badgeId: "0C00000003",
      knownBits: 40,
      email: "=cmd@example.com",
    });
    at("2026-03-09T07:00:00Z", ANNA);
    at("2026-03-09T11:15:00Z", ANNA);
    at("2026-03-10T07:00:00Z", ANNA);
    at("2026-03-10T07:01:00Z", "0C00000003");
    at("2026-03-10T08:01:00Z", "0C00000003");
    at("2026-03-10T09:00:00Z", ANNA);
    const csv = hoursReportCsv(
      await hoursReport(deps, { from: "2026-03-09", to: "2026-03-10", period: "day" }),
    );
    const lines = csv.trimEnd().split("\r\n");
    expect(lines).toEqual([
      "person,day,hours,minutes,entries,not booked yet,open shift,by PIN",
      "'=cmd@example.com,2026-03-10,1.00,60,1,1,no,0",
      "anna@example.com,2026-03-09,4.25,255,1,1,no,0",
      "anna@example.com,2026-03-10,2.00,120,1,1,no,0",
      "'=cmd@example.com,total 2026-03-09 to 2026-03-10,1.00,60,1,1,no,0",
      "anna@example.com,total 2026-03-09 to 2026-03-10,6.25,375,2,2,no,0",
      "all,total 2026-03-09 to 2026-03-10,7.25,435,3,3,no,0",
    ]);
  });

  it("counts the shifts tapped in or out by PIN (a forgotten badge) and marks them in the CSV", async () => {
    const { deps, at } = site();
    at("2026-03-09T07:00:00Z", ANNA, "pin");
    at("2026-03-09T15:00:00Z", ANNA);
    at("2026-03-10T07:00:00Z", ANNA);
    at("2026-03-10T15:00:00Z", ANNA, "pin");
    at("2026-03-11T07:00:00Z", BEN);
    at("2026-03-11T15:00:00Z", BEN);
    const report = await hoursReport(deps, { from: "2026-03-09", to: "2026-03-11", period: "day" });
    expect(report.rows.map((row) => [row.email, row.period, row.byPin])).toEqual([
      ["anna@example.com", "2026-03-09", 1],
      ["anna@example.com", "2026-03-10", 1],
      ["ben@example.com", "2026-03-11", 0],
    ]);
    expect(report.total.byPin).toBe(2);
    expect(hoursReportCsv(report).split("\r\n").at(-2)).toBe(
      "all,total 2026-03-09 to 2026-03-11,24.00,1440,3,3,no,2",
    );
  });

  it.each([
    [{ from: "2026-03-10", to: "2026-03-09" }, /before from/],
    [{ from: "10.03.2026", to: "2026-03-11" }, /not a date such as 2026-03-01/],
  ])("refuses the range %j", async (range, message) => {
    const { deps } = site();
    await expect(hoursReport(deps, { ...range, period: "day" })).rejects.toThrow(message);
  });
});
