import { DateTime } from "luxon";
import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import type { Door } from "../../bench/site-doors.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { entryMinutes } from "../../src/display/hours.js";
import { parseRounding } from "../../src/pairing/booked-span.js";
import { until } from "../e2e/daemon-site.js";
import { runCliProcess } from "../helpers/cli-process.js";
import { tapAt, withSiteDoors } from "./door-helpers.js";

/**
 * In site mode `timeclock reports` counts the hours of every door from the site database: a shift
 * begun at one door and ended at another counts once for its person, the open shift of someone
 * who clocked in at the other door is marked, and a tap by PIN at any door is counted. The door's
 * own journal holds none of these entries, so a report read from it would be empty.
 */

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

function at(door: Door, ...argv: string[]) {
  return runCliProcess([...argv, "--config", door.configPath], door.env);
}

it("reports at one door count the shifts of both doors, open shifts and PIN taps, as a table and as CSV, and exit 87 when the site database is down", async () => {
  const users = benchUsers(2, "report", 0x15);
  const [anna, ben] = users as [(typeof users)[0], (typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 2,
    },
    async ({ site }) => {
      const [a, b] = site.doors as [Door, Door];
      const db = await postgres.superuser(site.database);
      try {
        await a.start();
        await b.start();
        await tapAt(a, anna.badgeId, "clock-in");
        await tapAt(b, anna.badgeId, "clock-out");
        await tapAt(b, anna.badgeId, "clock-in");
        await tapAt(a, anna.badgeId, "clock-out");
        await tapAt(b, ben.badgeId, "clock-in");
        // Two shifts of seconds in the same minute: GoodTime books the first and refuses the second
        // as overlapping, which leaves one counted as not booked yet; both count.
        let entries: {
          email: string;
          start: Date;
          end: Date;
          rounding: string | null;
          state: string;
        }[] = [];
        await until(async () => {
          entries = (
            await db.query(
              "SELECT email, start_at AS start, end_at AS end, rounding, state FROM timeclock.entries",
            )
          ).rows;
          return (
            entries.length === 2 && entries.every((e) => !["pending", "sending"].includes(e.state))
          );
        }, "Anna's two shifts answered by GoodTime");
        // The second shift began by PIN at door B, as the kiosk's PIN pad records it in the site.
        await db.query(
          `UPDATE timeclock.taps SET source = 'pin'
         WHERE terminal_id = 'door-b' AND email = $1 AND outcome = 'clock-in'`,
          [anna.email],
        );
        const minutes = entries.reduce(
          (sum, entry) => sum + entryMinutes({ ...entry, rounding: parseRounding(entry.rounding) }),
          0,
        );
        const unbooked = entries.filter((entry) => entry.state !== "booked").length;

        // A day either side, so that a run around midnight still holds every shift.
        const today = DateTime.now().setZone("Europe/Berlin");
        const from = today.minus({ days: 1 }).toISODate() ?? "";
        const to = today.plus({ days: 1 }).toISODate() ?? "";
        const range = ["--from", from, "--to", to];
        const total = `total ${from} to ${to}`;

        const csv = await at(a, "reports", ...range, "--csv");
        expect(csv.code, csv.stderr).toBe(0);
        const lines = csv.stdout.trimEnd().split("\r\n");
        expect(lines[0]).toBe("person,day,hours,minutes,entries,not booked yet,open shift,by PIN");
        const hours = (Math.round(minutes) / 60).toFixed(2);
        expect(lines).toContain(`${anna.email},${total},${hours},${minutes},2,${unbooked},no,1`);
        expect(lines).toContain(`${ben.email},${total},0.00,0,0,0,yes,0`);
        expect(lines.at(-1)).toBe(`all,${total},${hours},${minutes},2,${unbooked},yes,1`);

        const json = await at(b, "reports", ...range, "--period", "week", "--json");
        expect(json.code, json.stderr).toBe(0);
        const report = JSON.parse(json.stdout) as {
          totals: { email: string; entries: number; byPin: number; openShift: boolean }[];
        };
        expect(report.totals).toEqual([
          expect.objectContaining({ email: anna.email, entries: 2, byPin: 1, openShift: false }),
          expect.objectContaining({ email: ben.email, entries: 0, byPin: 0, openShift: true }),
        ]);

        const table = await at(a, "reports", ...range);
        expect(table.code, table.stderr).toBe(0);
        expect(table.stdout).toMatch(new RegExp(`${anna.email} +total +${hours} +2 +.*1 by PIN`));
        expect(table.stdout).toMatch(new RegExp(`${ben.email} +total +0\\.00 +0 +open shift`));

        await a.daemon?.stop();
        await b.daemon?.stop();
        await db.end();
        await postgres.stop();
        const down = await at(a, "reports", ...range);
        expect(down.code).toBe(ExitCode.siteUnreachable);
        expect(down.stderr).toMatch(
          /the site database timeclock@127\.0\.0\.1:\d+\/site\d+ does not answer/,
        );
        expect(down.stdout).toBe("");
      } finally {
        await postgres.start();
        await db.end().catch(() => undefined);
      }
    },
  );
}, 240_000);
