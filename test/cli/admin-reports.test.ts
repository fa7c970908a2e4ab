import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { Outbox } from "../../src/store/outbox.js";
import { harness } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

const ANNA = "0F00A1B2C3";

/**
 * `timeclock reports` on a lone terminal: Anna works 00:30–08:30 local on 2026-03-10 (booked),
 * then 12:00–13:15 (not booked yet), and clocks in again the next morning.
 */
function seeded() {
  const h = harness({ now: "2026-03-09T23:30:00Z" });
  const db = h.openDb();
  new BadgeRepository(db, h.clock).put({ badgeId: ANNA, knownBits: 40, email: "anna@example.com" });
  const tap = tapper(db, h.clock);
  tap(ANNA);
  h.clock.advance(8 * 3_600_000);
  const out = tap(ANNA);
  h.clock.advance(3.5 * 3_600_000);
  tap(ANNA);
  h.clock.advance(75 * 60_000);
  tap(ANNA);
  h.clock.advance(20 * 3_600_000);
  tap(ANNA);
  new Outbox(db).markBooked(out.entry?.id ?? "", "srv-1", h.clock.now());
  return h;
}

describe("timeclock reports", () => {
  it("prints hours per person and day with the marks, and the same as CSV for payroll", async () => {
    const h = seeded();
    const range = ["--from", "2026-03-10", "--to", "2026-03-11"];
    const table = await h.cli("reports", ...range);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split("\n");
    expect(lines.find((line) => line.includes("2026-03-10"))).toMatch(
      /^anna@example\.com +2026-03-10 +9\.25 +2 +1 not booked yet *$/,
    );
    expect(lines.find((line) => line.includes("2026-03-11"))).toMatch(
      /^anna@example\.com +2026-03-11 +0\.00 +0 +open shift *$/,
    );
    expect(table.stdout).toContain("Europe/Berlin");

    const csv = await h.cli("reports", ...range, "--period", "week", "--csv");
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.trimEnd().split("\r\n")).toEqual([
      "person,week,hours,minutes,entries,not booked yet,open shift,by PIN",
      "anna@example.com,2026-W11,9.25,555,2,1,yes,0",
      "anna@example.com,total 2026-03-10 to 2026-03-11,9.25,555,2,1,yes,0",
      "all,total 2026-03-10 to 2026-03-11,9.25,555,2,1,yes,0",
    ]);
  });

  it("refuses a range that ends before it starts, saying which", async () => {
    const h = seeded();
    const result = await h.cli("reports", "--from", "2026-03-11", "--to", "2026-03-10");
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("to 2026-03-10 is before from 2026-03-11");
    expect(result.stdout).toBe("");
  });
});
