import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers, seedFor } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { acceptedSiteTaps, readSite, siteProblems } from "../../bench/site-checks.js";
import { type Door, startSiteDoors } from "../../bench/site-doors.js";
import { startSimulator } from "../../src/simulator/index.js";
import { until } from "../e2e/daemon-site.js";
import { tempDir } from "../helpers/temp.js";
import { knows, remoteEntries, tapAt } from "./door-helpers.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

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
    expect(siteProblems(snapshot, accepted, remoteEntries(sim), true)).toEqual([]);
  } finally {
    await db.end();
    await site.close();
    await sim.close();
  }
}, 90_000);
