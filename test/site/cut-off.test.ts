import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers, seedFor } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { acceptedSiteTaps, readSite, siteProblems } from "../../bench/site-checks.js";
import { type Door, startSiteDoors } from "../../bench/site-doors.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { startSimulator } from "../../src/simulator/index.js";
import { openDatabase } from "../../src/store/database.js";
import { SiteJournal } from "../../src/store/site-journal.js";
import { until } from "../e2e/daemon-site.js";
import { tempDir } from "../helpers/temp.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

/** Whether the door's own copy of the site says the user has a shift open. */
function knows(door: Door, email: string): boolean {
  const db = openDatabase(door.dataDir, { logger: silentLogger(), check: false });
  try {
    return new SiteJournal(db, systemClock).userState(email).openShift !== null;
  } finally {
    db.close();
  }
}

async function tapAt(door: Door, badgeId: string, outcome: string) {
  const daemon = door.daemon;
  if (!daemon) throw new Error(`${door.id} is not running`);
  const before = daemon.records.filter((r) => r.msg.startsWith("tap ")).length;
  door.tap(badgeId);
  await until(
    () => daemon.records.filter((r) => r.msg.startsWith("tap ")).length > before,
    `a tap at ${door.id}`,
  );
  const tap = daemon.records.filter((r) => r.msg.startsWith("tap ")).at(-1);
  expect(tap?.outcome, `tap of ${badgeId} at ${door.id}`).toBe(outcome);
}

it("a door cut off from the site pairs with what it knew; healed, its agreeing shift is booked and the conflicting ones go to review", async () => {
  const users = benchUsers(2, "cut", 0x0f);
  const [anna, ben] = users as [(typeof users)[0], (typeof users)[0]];
  const sim = await startSimulator({ seed: seedFor(users) });
  const site = await startSiteDoors({
    root: tempDir("timeclock-site-"),
    postgres,
    sim,
    users,
    doors: 2,
    gated: true,
    tapTimeoutMs: 300,
  });
  const db = await postgres.superuser(site.database);
  try {
    const [a, b] = site.doors as [Door, Door];
    await a.start();
    await b.start();
    await tapAt(a, anna.badgeId, "clock-in");
    // B hears of it, so while cut off it still knows Anna is in.
    await until(() => knows(b, anna.email), "B to hear of Anna's clock-in");
    b.gate?.cut();
    await tapAt(b, anna.badgeId, "clock-out");
    await tapAt(a, anna.badgeId, "clock-out");
    await tapAt(b, ben.badgeId, "clock-in");
    await tapAt(b, ben.badgeId, "clock-out");
    await until(() => sim.state.entries().length === 1, "Anna's shift at A booked");
    b.gate?.heal();
    await b.daemon?.waitFor(
      (r) => r.msg.startsWith("merged taps paired while cut off"),
      "the merge at B",
      30_000,
    );
    await until(() => sim.state.entries().length === 2, "Ben's shift booked after the merge");
    const snapshot = await readSite(db);
    const reviews = snapshot.reviews.filter((review) => review.email === anna.email);
    expect(reviews.length).toBeGreaterThan(0);
    for (const review of reviews) {
      expect(review.reason).toMatch(/door door-b could not reach the site database/);
    }
    expect(reviews.some((review) => review.reason.includes("is booked in GoodTime already"))).toBe(
      true,
    );
    expect(
      sim.state
        .entries()
        .map((entry) => entry.userEmail)
        .sort(),
    ).toEqual([anna.email, ben.email].sort());
    const accepted = site.doors.flatMap((door) =>
      acceptedSiteTaps(door.id, door.daemon?.records ?? []),
    );
    expect(accepted).toHaveLength(5);
    const remote = sim.state.entries().map((e) => ({
      id: e.id,
      userEmail: e.userEmail,
      start: e.start,
      end: e.end,
    }));
    expect(siteProblems(snapshot, accepted, remote, true)).toEqual([]);
  } finally {
    await db.end();
    await site.close();
    await sim.close();
  }
}, 90_000);
