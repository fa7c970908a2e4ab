import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import type { Door } from "../../bench/site-doors.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { entryMinutes, hoursWindow } from "../../src/display/hours.js";
import { siteDoorJournalHours } from "../../src/display/hours-source.js";
import { DoorWords } from "../../src/display/words.js";
import { parseRounding } from "../../src/pairing/booked-span.js";
import { openDatabase } from "../../src/store/database.js";
import { until } from "../e2e/daemon-site.js";
import { shownHours, tapAt, watchScreen, withSiteDoors } from "./door-helpers.js";

/**
 * In site mode the screen at the door counts a person's shifts of every door: a shift begun at
 * door A and ended at door B is in the site database, not in A's journal, yet A's screen counts
 * it at the next clock-out there.
 */

const ZONE = "Europe/Berlin";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

interface SiteEntry {
  id: string;
  start: Date;
  end: Date;
  rounding: string | null;
}

it("the clock-out screen at one door shows today's hours of the shifts closed at both doors", async () => {
  const users = benchUsers(1, "screen", 0x16);
  const [anna] = users as [(typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 2,
      kiosk: true,
    },
    async ({ site }) => {
      const [a, b] = site.doors as [Door, Door];
      const db = await postgres.superuser(site.database);
      const watches: { close(): void }[] = [];
      try {
        await a.start();
        await b.start();
        const atA = await watchScreen(a);
        const atB = await watchScreen(b);
        watches.push(atA, atB);
        const clockOuts = (screens: string[]) =>
          screens.filter((screen) => screen.includes('data-screen="clock-out"'));

        await tapAt(a, anna.badgeId, "clock-in");
        await tapAt(b, anna.badgeId, "clock-out");
        await until(() => clockOuts(atB.screens).length === 1, "the first clock-out's screen at B");
        await tapAt(b, anna.badgeId, "clock-in");
        await tapAt(a, anna.badgeId, "clock-out");
        await until(
          () => clockOuts(atA.screens).length === 1,
          "the second clock-out's screen at A",
        );

        const entries = (
          await db.query<SiteEntry>(
            `SELECT id, start_at AS start, end_at AS end, rounding FROM timeclock.entries
           WHERE email = $1 ORDER BY start_at`,
            [anna.email],
          )
        ).rows;
        expect(entries).toHaveLength(2);
        const minutes = (entry: SiteEntry) =>
          entryMinutes({ ...entry, rounding: parseRounding(entry.rounding) });
        const window = hoursWindow(systemClock.now(), ZONE);
        const today = entries
          .filter((entry) => entry.start >= window.dayStart && entry.start < window.dayEnd)
          .reduce((sum, entry) => sum + minutes(entry), 0);
        const week = entries
          .filter((entry) => entry.start >= window.weekStart && entry.start < window.weekEnd)
          .reduce((sum, entry) => sum + minutes(entry), 0);
        const words = new DoorWords("en", ZONE);
        const [first, second] = entries as [SiteEntry, SiteEntry];

        const shownAtA = clockOuts(atA.screens)[0] ?? "";
        expect(shownHours(shownAtA, "This shift")).toBe(words.hours(minutes(second)));
        expect(shownHours(shownAtA, "Today")).toBe(words.hours(today));
        expect(shownHours(shownAtA, "This week")).toBe(words.hours(week));
        const shownAtB = clockOuts(atB.screens)[0] ?? "";
        expect(shownHours(shownAtB, "This shift")).toBe(words.hours(minutes(first)));

        // Door A's own journal holds the shift its clock-out closed, not the one closed at B: read
        // from there alone, the screen would have shown less.
        const journal = openDatabase(a.dataDir, { logger: silentLogger(), check: false });
        try {
          const own = await siteDoorJournalHours(journal).shifts({
            email: anna.email,
            from: window.weekStart,
            to: window.weekEnd,
            entryId: second.id,
          });
          expect(own.entries.map((entry) => entry.id)).toEqual([second.id]);
          expect(own.entry?.id).toBe(second.id);
          expect(own.openStart).toBeNull();
        } finally {
          journal.close();
        }
        expect(minutes(first)).toBeGreaterThan(0);
      } finally {
        for (const watch of watches) watch.close();
        await db.end();
      }
    },
  );
}, 180_000);

it("the idle screen at a door counts the site's shifts waiting to be booked, also those closed at another door", async () => {
  const users = benchUsers(1, "idle", 0x17);
  const [anna] = users as [(typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 2,
      kiosk: true,
    },
    async ({ site, sim }) => {
      // GoodTime refuses every booking for now: the shift waits in the site database.
      sim.faults.failNext(1000, 503, { path: /createtimeentry/, retryAfter: 3600 });
      const [a, b] = site.doors as [Door, Door];
      const watches: { close(): void }[] = [];
      try {
        await a.start();
        await b.start();
        const atA = await watchScreen(a);
        watches.push(atA);
        await tapAt(a, anna.badgeId, "clock-in");
        await tapAt(b, anna.badgeId, "clock-out");
        // Door A's journal holds no entry of this shift; its screen counts the site's.
        await until(
          () =>
            atA.screens.some(
              (screen) =>
                screen.includes('data-screen="idle"') && / 1 stored|1 shift waiting/.test(screen),
            ),
          "door A's idle screen counting the shift closed at B",
          30_000,
        );
      } finally {
        for (const watch of watches) watch.close();
      }
    },
  );
}, 120_000);
