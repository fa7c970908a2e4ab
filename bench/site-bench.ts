import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { SEED_ADMIN, type Simulator, startSimulator } from "../src/simulator/index.js";
import { openDatabase } from "../src/store/database.js";
import { DaemonProcess } from "./daemon-process.js";
import { type BenchUser, benchUsers, mapBadges, seedFor, writeDaemonConfig } from "./fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "./postgres.js";
import { startPtyPair } from "./pty-pair.js";
import { rdm6300Frame } from "./rdm6300-frame.js";
import { type Door, startSiteDoors } from "./site-doors.js";
import { elapsedMs, type Summary, summarize } from "./stats.js";

/**
 * Site mode's benchmarks, with real daemons on socat ptys, a durable scratch PostgreSQL (fsync
 * on) and the simulator: a tap's latency at a site door against a lone terminal in one run; the
 * site's tap throughput with ten doors tapping at once; a backlog drained by one door and by three.
 * A tap's latency is from the frame written into the reader's pty to the daemon's "tap" log line
 * read by this process: the same path for both kinds of terminal.
 */

export interface SitePlan {
  /** Taps measured per terminal kind (after a few to warm up). */
  taps: number;
  /** Users per door in the ten-door run, each tapping in and out. */
  usersPerDoor: number;
  /** Entries in the backlog that the doors drain. */
  drainEntries: number;
  /** The simulator's latency per request while draining. */
  latencyMs: number;
}

export interface SiteBenchResult {
  lone: Summary;
  site: Summary;
  tenDoors: {
    doors: number;
    taps: number;
    seconds: number;
    tapsPerSecond: number;
    latency: Summary;
  };
  drains: {
    doors: number;
    entries: number;
    /** From the first booking to the last, by the daemons' own log times. */
    seconds: number;
    bookedPerSecond: number;
    /** How many of the entries each door booked. */
    byDoor: Record<string, number>;
  }[];
}

const WARMUP = 10;

/** Taps a badge and waits for the daemon's tap line; returns the milliseconds in between. */
async function timedTap(daemon: DaemonProcess, write: () => void): Promise<number> {
  const seen = daemon.records.length;
  const started = process.hrtime.bigint();
  const done = daemon.waitFor(
    (r) => r.msg.startsWith("tap ") && daemon.records.indexOf(r) >= seen,
    "a tap",
    30_000,
  );
  write();
  await done;
  return elapsedMs(started, process.hrtime.bigint());
}

/** Each user in, then out, `rounds` times, at one terminal; the latencies after the warm-up. */
async function tapSeries(
  daemon: DaemonProcess,
  write: (badgeId: string) => void,
  users: readonly BenchUser[],
  taps: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < taps + WARMUP; i++) {
    const user = users[i % users.length] as BenchUser;
    const ms = await timedTap(daemon, () => write(user.badgeId));
    if (i >= WARMUP) samples.push(ms);
  }
  return samples;
}

async function loneTerminal(
  root: string,
  sim: Simulator,
  users: readonly BenchUser[],
  taps: number,
) {
  const dir = join(root, "lone");
  mkdirSync(dir, { recursive: true });
  const pty = await startPtyPair(dir);
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger() });
  mapBadges(db, systemClock, users);
  db.close();
  const configPath = writeDaemonConfig(dir, {
    dataDir,
    serverUrl: sim.url,
    reader: { type: "serial", path: pty.devicePath },
    concurrency: 2,
    name: "lone",
  });
  const host = openSync(pty.hostPath, "w");
  const daemon = new DaemonProcess(configPath, { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword });
  try {
    await daemon.waitFor((r) => r.msg === "terminal ready", "the lone terminal ready", 30_000);
    return await tapSeries(daemon, (badge) => writeSync(host, rdm6300Frame(badge)), users, taps);
  } finally {
    await daemon.stop("SIGTERM");
    await daemon.closed;
    closeSync(host);
    await pty.close();
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 300_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function tenDoors(root: string, postgres: ScratchPostgres, plan: SitePlan) {
  const doorsCount = 10;
  const users = benchUsers(doorsCount * plan.usersPerDoor, "ten", 0x21);
  const sim = await startSimulator({ seed: seedFor(users) });
  const site = await startSiteDoors({ root: join(root, "ten"), postgres, sim, users, doors: 10 });
  try {
    for (const door of site.doors) await door.start();
    const samples: number[] = [];
    const started = process.hrtime.bigint();
    // Every door taps its own users in; then each user taps out at the next door.
    const phase = (offset: number) =>
      Promise.all(
        site.doors.map(async (_, d) => {
          const own = users.slice(d * plan.usersPerDoor, (d + 1) * plan.usersPerDoor);
          const at = site.doors[(d + offset) % doorsCount] as Door;
          for (const user of own) {
            const daemon = at.daemon as DaemonProcess;
            samples.push(await timedTap(daemon, () => at.tap(user.badgeId)));
          }
        }),
      );
    // The doors of a phase tap different users; a door taps one badge at a time.
    await phase(0);
    await phase(1);
    const seconds = elapsedMs(started, process.hrtime.bigint()) / 1000;
    return {
      doors: doorsCount,
      taps: samples.length,
      seconds,
      tapsPerSecond: samples.length / seconds,
      latency: summarize(samples),
    };
  } finally {
    await site.close();
    await sim.close();
  }
}

/** A backlog of `entries` shifts made at one door without an API password, then drained by `doors`. */
async function drain(root: string, postgres: ScratchPostgres, plan: SitePlan, doors: number) {
  const users = benchUsers(plan.drainEntries, `drain${doors}-`, 0x30 + doors);
  const sim = await startSimulator({ seed: seedFor(users) });
  const site = await startSiteDoors({
    root: join(root, `drain-${doors}`),
    postgres,
    sim,
    users,
    doors,
  });
  const db = await postgres.superuser(site.database);
  try {
    const first = site.doors[0] as Door;
    const password = first.env.TIMECLOCK_API_PASSWORD;
    delete first.env.TIMECLOCK_API_PASSWORD;
    const daemon = await first.start();
    for (const user of users) {
      await timedTap(daemon, () => first.tap(user.badgeId));
      await timedTap(daemon, () => first.tap(user.badgeId));
    }
    const pending = async () =>
      Number(
        (await db.query("SELECT count(*) AS n FROM timeclock.entries WHERE state = 'pending'"))
          .rows[0]?.n,
      );
    await until(async () => (await pending()) === users.length, "the backlog in the site");
    await daemon.stop("SIGTERM");
    await daemon.closed;
    first.env.TIMECLOCK_API_PASSWORD = password;
    sim.faults.setLatency(plan.latencyMs);
    await Promise.all(site.doors.map((door) => door.start()));
    await until(() => sim.state.entries().length >= users.length, "the backlog booked");
    if (sim.state.entries().length !== users.length) {
      throw new Error(`${sim.state.entries().length} entries booked for ${users.length} shifts`);
    }
    // The doors start one after another; the window is the bookings' own, from the log times.
    const byDoor: Record<string, number> = {};
    const times: number[] = [];
    for (const door of site.doors) {
      const booked = (door.daemon?.records ?? []).filter((r) => r.msg === "entry booked");
      byDoor[door.id] = booked.length;
      times.push(...booked.map((r) => Date.parse(String(r.time))));
    }
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    return {
      doors,
      entries: users.length,
      seconds,
      bookedPerSecond: (times.length - 1) / seconds,
      byDoor,
    };
  } finally {
    await db.end();
    await site.close();
    await sim.close();
  }
}

export async function runSiteBench(
  root: string,
  plan: SitePlan,
  log: (line: string) => void,
): Promise<SiteBenchResult> {
  const postgres = await startScratchPostgres({ durable: true });
  try {
    const users = benchUsers(20, "tap", 0x20);
    log(`site: tap latency, lone terminal against a site door, ${plan.taps} taps each`);
    const sim = await startSimulator({ seed: seedFor(users) });
    let lone: number[];
    let siteSamples: number[];
    try {
      lone = await loneTerminal(root, sim, users, plan.taps);
      const site = await startSiteDoors({
        root: join(root, "one"),
        postgres,
        sim,
        users,
        doors: 1,
      });
      try {
        const door = site.doors[0] as Door;
        const daemon = await door.start();
        siteSamples = await tapSeries(daemon, (badge) => door.tap(badge), users, plan.taps);
      } finally {
        await site.close();
      }
    } finally {
      await sim.close();
    }
    log(`site: ten doors tapping at once, ${plan.usersPerDoor} users each`);
    const ten = await tenDoors(root, postgres, plan);
    const drains: SiteBenchResult["drains"] = [];
    for (const doors of [1, 3]) {
      log(`site: ${plan.drainEntries} entries drained by ${doors} door(s)`);
      drains.push(await drain(root, postgres, plan, doors));
    }
    return { lone: summarize(lone), site: summarize(siteSamples), tenDoors: ten, drains };
  } finally {
    await postgres.close();
  }
}
