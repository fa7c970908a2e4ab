import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { acceptedSiteTaps, readSite, siteProblems } from "../../bench/site-checks.js";
import type { Door } from "../../bench/site-doors.js";
import { until } from "../e2e/daemon-site.js";
import { runCliProcess } from "../helpers/cli-process.js";
import { knows, remoteEntries, tapAt, untilBookedAtSite, withSiteDoors } from "./door-helpers.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

it("three doors, one cut off from the site: it pairs with what it knew; healed, its agreeing shift is booked, the conflicting ones go to review with the reason, and another door's admin resolves them", async () => {
  const users = benchUsers(3, "cut", 0x0f);
  const [anna, ben, carl] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 3,
      gated: true,
      // The steps need each online tap paired at the site in time, also on a loaded machine; a door
      // cut off (its gate resets the connections) or PostgreSQL stopped fails at once, not by timing out.
      tapTimeoutMs: 3000,
    },
    async ({ site, sim }) => {
      const db = await postgres.superuser(site.database);
      try {
        const [a, b, c] = site.doors as [Door, Door, Door];
        await a.start();
        await b.start();
        await c.start();
        await tapAt(a, anna.badgeId, "clock-in");
        // B hears of it, so while cut off it still knows Anna is in.
        await until(() => knows(b, anna.email), "B to hear of Anna's clock-in", 60_000);
        b.gate?.cut();
        await tapAt(b, anna.badgeId, "clock-out");
        await tapAt(a, anna.badgeId, "clock-out");
        // The other doors go on pairing across doors meanwhile.
        await tapAt(c, carl.badgeId, "clock-in");
        await tapAt(a, carl.badgeId, "clock-out");
        await tapAt(b, ben.badgeId, "clock-in");
        await tapAt(b, ben.badgeId, "clock-out");
        await until(
          () => sim.state.entries().length === 2,
          "Anna's and Carl's shifts booked",
          60_000,
        );
        b.gate?.heal();
        await b.daemon?.waitFor(
          (r) => r.msg.startsWith("merged taps paired while cut off"),
          "the merge at B",
          60_000,
        );
        await untilBookedAtSite(sim, db, 3, "Ben's shift booked after the merge");
        const snapshot = await readSite(db);
        const reviews = snapshot.reviews.filter((review) => review.email === anna.email);
        expect(reviews.length).toBeGreaterThan(0);
        for (const review of reviews) {
          expect(review.reason).toMatch(/door door-b could not reach the site database/);
        }
        expect(
          reviews.some((review) => review.reason.includes("is booked in GoodTime already")),
        ).toBe(true);
        expect(snapshot.reviews.filter((review) => review.email !== anna.email)).toEqual([]);
        expect(
          sim.state
            .entries()
            .map((entry) => entry.userEmail)
            .sort(),
        ).toEqual([anna.email, ben.email, carl.email].sort());
        const accepted = site.doors.flatMap((door) =>
          acceptedSiteTaps(door.id, door.daemon?.records ?? []),
        );
        expect(accepted).toHaveLength(7);
        expect(siteProblems(snapshot, accepted, remoteEntries(sim), true)).toEqual([]);

        // An admin at door C sees the reviews of door B's merge, with the reason, and resolves them.
        const listed = await runCliProcess(["review", "--json", "--config", c.configPath], c.env);
        expect(listed.code, listed.stderr).toBe(0);
        const open = JSON.parse(listed.stdout) as { id: number; email: string; reason: string }[];
        expect(open.map((review) => review.reason).sort()).toEqual(
          reviews.map((review) => review.reason).sort(),
        );
        for (const review of open) {
          const resolved = await runCliProcess(
            [
              "review",
              "discard",
              String(review.id),
              "--reason",
              "checked in GoodTime: the shift booked from door A is right",
              "--config",
              c.configPath,
            ],
            c.env,
          );
          expect(resolved.code, resolved.stderr).toBe(0);
        }
        const after = await runCliProcess(["review", "--json", "--config", c.configPath], c.env);
        expect(JSON.parse(after.stdout)).toEqual([]);
        expect(sim.state.entries()).toHaveLength(3);

        // The admin record is the site's: door A's audit shows what was decided at door C.
        const audit = await runCliProcess(["audit", "--json", "--config", a.configPath], a.env);
        expect(audit.code, audit.stderr).toBe(0);
        const events = JSON.parse(audit.stdout) as {
          action: string;
          subject: string;
          door: string;
        }[];
        expect(
          events
            .filter((event) => event.action === "review.discard")
            .map((event) => [event.subject, event.door])
            .sort(),
        ).toEqual(open.map((review) => [String(review.id), c.id]).sort());
        const text = await runCliProcess(["audit", "--config", a.configPath], a.env);
        expect(text.stdout).toContain(`review.discard  ${open[0]?.id}  (at ${c.id})`);
      } finally {
        await db.end();
      }
    },
  );
}, 240_000);
