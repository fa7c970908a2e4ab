import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../src/simulator/index.js";
import type { DaemonProcess } from "./daemon-process.js";
import { benchUsers, seedFor } from "./fixtures.js";
import { startScratchPostgres } from "./postgres.js";
import { randomInt, seededRandom } from "./random.js";
import { acceptedSiteTaps, readSite, siteProblems } from "./site-checks.js";
import { type Door, startSiteDoors } from "./site-doors.js";

/**
 * The site soak: random taps at random doors of a three-door site, with the faults of site mode
 * at random moments: a door cut off from the database and healed, a door killed with SIGKILL (and
 * started again), PostgreSQL stopped as after a crash and started again. At the end, once all is
 * settled: every accepted tap is in the site database as its door told it, every entry is booked
 * exactly once at the simulator (or refused, or sent to review), nothing is left in flight.
 */

export interface SiteSoakOptions {
  /** Rounds; each is a few taps and then one fault. */
  rounds: number;
  seed: number;
  log: (line: string) => void;
}

const DOORS = 3;
const USERS = 12;
const TAPS_PER_ROUND = 6;

async function sleep(ms: number): Promise<void> {
  await new Promise((done) => setTimeout(done, ms));
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function runSiteSoak(options: SiteSoakOptions): Promise<boolean> {
  const random = seededRandom(options.seed);
  const { log } = options;
  log(`site soak: seed ${options.seed}, ${options.rounds} rounds at ${DOORS} doors`);
  const root = mkdtempSync(join(tmpdir(), "timeclock-site-soak-"));
  const postgres = await startScratchPostgres();
  const users = benchUsers(USERS, "soak", 0x40);
  const sim = await startSimulator({ seed: seedFor(users) });
  const site = await startSiteDoors({
    root,
    postgres,
    sim,
    users,
    doors: DOORS,
    gated: true,
    tapTimeoutMs: 300,
    leaseSeconds: 5,
  });
  const runs: { door: string; daemon: DaemonProcess }[] = [];
  const start = async (door: Door) => runs.push({ door: door.id, daemon: await door.start() });
  const alive = (door: Door) =>
    door.daemon !== null && door.daemon.child.exitCode === null && !door.daemon.child.signalCode;
  const faults: Record<string, number> = { cut: 0, kill: 0, "postgres restart": 0 };
  try {
    for (const door of site.doors) await start(door);
    for (let round = 0; round < options.rounds; round++) {
      for (let i = 0; i < TAPS_PER_ROUND; i++) {
        const door = site.doors[randomInt(random, DOORS)] as Door;
        if (!alive(door)) continue;
        door.tap((users[randomInt(random, USERS)] as (typeof users)[0]).badgeId);
        await sleep(100 + randomInt(random, 300));
      }
      const fault = (["cut", "kill", "postgres restart"] as const)[randomInt(random, 3)] ?? "cut";
      const door = site.doors[randomInt(random, DOORS)] as Door;
      faults[fault] = (faults[fault] ?? 0) + 1;
      log(`round ${round + 1}: ${fault}${fault === "postgres restart" ? "" : ` at ${door.id}`}`);
      if (fault === "cut") {
        door.gate?.cut();
        for (let i = 0; i < 3; i++) {
          door.tap((users[randomInt(random, USERS)] as (typeof users)[0]).badgeId);
          await sleep(400);
        }
        door.gate?.heal();
      } else if (fault === "kill") {
        if (alive(door)) await door.daemon?.stop("SIGKILL");
        await sleep(randomInt(random, 1000));
        await start(door);
      } else {
        await postgres.stop("immediate");
        await sleep(500 + randomInt(random, 1500));
        await postgres.start();
      }
    }
    log("settling: every door merged, every entry booked, refused or sent to review");
    const db = await postgres.superuser(site.database);
    try {
      await until(async () => {
        const snapshot = await readSite(db);
        const accepted = runs.flatMap((run) => acceptedSiteTaps(run.door, run.daemon.records));
        const keys = new Set(snapshot.taps.map((tap) => `${tap.door}/${tap.tapId}`));
        return (
          accepted.every((tap) => keys.has(`${tap.door}/${tap.tapId}`)) &&
          snapshot.entries.every((entry) => !["pending", "sending"].includes(entry.state))
        );
      }, "the site to settle");
      const snapshot = await readSite(db);
      const accepted = runs.flatMap((run) => acceptedSiteTaps(run.door, run.daemon.records));
      const remote = sim.state.entries().map((e) => ({
        id: e.id,
        userEmail: e.userEmail,
        start: e.start,
        end: e.end,
      }));
      const problems = siteProblems(snapshot, accepted, remote, true);
      const states = snapshot.entries.reduce<Record<string, number>>((count, entry) => {
        count[entry.state] = (count[entry.state] ?? 0) + 1;
        return count;
      }, {});
      log(
        `faults ${JSON.stringify(faults)}; ${accepted.length} taps accepted, ${snapshot.taps.length} in the site database (${snapshot.taps.filter((t) => t.provisional).length} provisional); entries ${JSON.stringify(states)}; ${snapshot.reviews.length} reviews; ${remote.length} entries at the simulator`,
      );
      for (const problem of problems) log(`PROBLEM: ${problem}`);
      log(
        problems.length === 0
          ? "site soak passed"
          : `site soak FAILED: ${problems.length} problems`,
      );
      return problems.length === 0;
    } finally {
      await db.end();
    }
  } finally {
    await postgres.start();
    await site.close();
    await sim.close();
    await postgres.close();
    rmSync(root, { recursive: true, force: true });
  }
}
