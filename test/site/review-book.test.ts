import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { readSite } from "../../bench/site-checks.js";
import type { Door } from "../../bench/site-doors.js";
import { until } from "../e2e/daemon-site.js";
import { runCliProcess } from "../helpers/cli-process.js";
import { knows, tapAt, withSiteDoors } from "./door-helpers.js";

/**
 * `timeclock review book` in site mode: a shift that a cut-off door paired differently from the
 * site goes to review at the merge; an admin at the other door books it through the CLI (as its
 * own process), and one door's sync books it in GoodTime exactly once.
 */

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

const MINUTE_MS = 60_000;

it("a review from a cut-off door's merge, booked from another door with the CLI, is booked once in GoodTime", async () => {
  const users = benchUsers(1, "book", 0x17);
  const [anna] = users as [(typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 2,
      gated: true,
      // Long enough that a door still in contact gets the site's answer on a busy machine (a
      // provisional pairing there would not know of a shift begun at another door); the cut-off
      // door waits this long per tap.
      tapTimeoutMs: 1500,
    },
    async ({ site, sim }) => {
      const [a, b] = site.doors as [Door, Door];
      const db = await postgres.superuser(site.database);
      const at = (door: Door, ...argv: string[]) =>
        runCliProcess([...argv, "--config", door.configPath], door.env);
      try {
        await a.start();
        await b.start();
        await tapAt(a, anna.badgeId, "clock-in");
        await until(() => knows(b, anna.email), "B to hear of Anna's clock-in", 60_000);
        b.gate?.cut();
        await tapAt(b, anna.badgeId, "clock-out");
        await tapAt(a, anna.badgeId, "clock-out");
        await until(() => sim.state.entries().length === 1, "the shift closed at A booked", 60_000);
        b.gate?.heal();
        await b.daemon?.waitFor(
          (r) => r.msg.startsWith("merged taps paired while cut off"),
          "the merge at B",
          60_000,
        );

        const listed = await at(a, "review", "--json");
        expect(listed.code, listed.stderr).toBe(0);
        const open = JSON.parse(listed.stdout) as { id: number; email: string; door: string }[];
        expect(open.length).toBeGreaterThan(0);
        const review = open[0] as (typeof open)[0];
        expect(review.email).toBe(anna.email);

        // The admin learns Anna worked two hours earlier in the day and books that, at door A.
        const end = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 60 * MINUTE_MS);
        const start = new Date(end.getTime() - 120 * MINUTE_MS);
        const booked = await at(
          a,
          "review",
          "book",
          String(review.id),
          "--start",
          start.toISOString(),
          "--end",
          end.toISOString(),
        );
        expect(booked.code, booked.stderr).toBe(0);
        const entryId = /as entry (\S+) for/.exec(booked.stdout)?.[1] ?? "";
        expect(entryId).not.toBe("");

        await until(
          async () =>
            (await readSite(db)).entries.some(
              (entry) => entry.id === entryId && entry.state === "booked",
            ),
          "the reviewed shift booked by a door's sync",
          60_000,
        );
        const resolved = await db.query<{ resolution: string; entry_id: string }>(
          "SELECT resolution, entry_id FROM timeclock.reviews WHERE id = $1",
          [review.id],
        );
        expect(resolved.rows).toEqual([{ resolution: "booked", entry_id: entryId }]);
        const again = await at(b, "review", "book", String(review.id), "--end", end.toISOString());
        expect(again.code).not.toBe(0);
        expect(again.stderr).toMatch(new RegExp(`review ${review.id}`));
        const after = await at(b, "review", "--json");
        expect((JSON.parse(after.stdout) as { id: number }[]).map((item) => item.id)).not.toContain(
          review.id,
        );

        const bookings = sim.state
          .entries()
          .filter((entry) => entry.start.getTime() === start.getTime());
        expect(bookings).toHaveLength(1);
        expect(bookings[0]).toMatchObject({ userEmail: anna.email, end });
        expect(sim.state.entries()).toHaveLength(2);
      } finally {
        await db.end();
      }
    },
  );
}, 240_000);
