#!/usr/bin/env node
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Command, InvalidArgumentError } from "commander";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { SEED_ADMIN, type Simulator, startSimulator } from "../src/simulator/index.js";
import { openDatabase } from "../src/store/database.js";
import { DaemonProcess } from "./daemon-process.js";
import { type BenchUser, benchUsers, mapBadges, seedFor, writeDaemonConfig } from "./fixtures.js";
import { startPtyPair } from "./pty-pair.js";
import { randomInt, seededRandom } from "./random.js";
import { rdm6300Frame } from "./rdm6300-frame.js";
import { runSiteSoak } from "./site-soak.js";
import {
  type AcceptedTap,
  type JournalTap,
  type OutboxRow,
  type SoakSnapshot,
  soakProblems,
} from "./soak-checks.js";
import { injectServerFaults } from "./soak-server-faults.js";
import { storageFaults } from "./soak-storage-faults.js";

/**
 * The crash soak: the real daemon on a socat pty against a simulator whose faults change at run
 * time, killed with SIGKILL at random moments and restarted; after every restart the journal,
 * the outbox and the server are checked against each other and against what the daemon said.
 */

const USERS_PER_CYCLE = 6;
/** Share of kills that come during start-up, before the daemon says it is ready. */
const EARLY_KILL_SHARE = 0.15;
const READY_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 90_000;

interface SoakOptions {
  kills: number;
  seed: number;
}

function positiveInt(name: string, min: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError(
        `${name} ${JSON.stringify(value)} must be a whole number of at least ${min}`,
      );
    }
    return parsed;
  };
}

/** Taps the daemon could not store (a held write lock, a full disk) and so signalled refused. */
function storageRefusals(daemon: DaemonProcess): number {
  return daemon.records.filter((r) => r.msg.startsWith("tap could NOT be stored")).length;
}

/** Lost answers the daemon later found on the server instead of booking again. */
function adoptions(daemon: DaemonProcess): number {
  return daemon.records.filter((r) => r.msg.startsWith("entry was already on the server")).length;
}

function acceptedTaps(daemon: DaemonProcess, run: number): AcceptedTap[] {
  return daemon.records
    .filter((r) => r.msg.startsWith("tap ") && typeof r.tapId === "number")
    .map((r) => ({
      tapId: r.tapId as number,
      outcome: String(r.outcome),
      badgeId: String(r.badge),
      run,
    }));
}

interface DbState {
  journal: JournalTap[];
  outbox: OutboxRow[];
  unbooked: number;
}

function readDb(dataDir: string): DbState {
  const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
  try {
    // One read transaction: journal and outbox from the same moment.
    return db.transaction(() => {
      const journal = (
        db.prepare("SELECT id, badge_id, outcome, email FROM taps").all() as {
          id: number;
          badge_id: string;
          outcome: string;
          email: string | null;
        }[]
      ).map((r) => ({ id: r.id, badgeId: r.badge_id, outcome: r.outcome, email: r.email }));
      const outbox = (
        db
          .prepare(
            "SELECT id, email, start_at, end_at, start_tap_id, end_tap_id, state, ambiguous, server_id FROM entries",
          )
          .all() as {
          id: string;
          email: string;
          start_at: string;
          end_at: string;
          start_tap_id: number;
          end_tap_id: number | null;
          state: string;
          ambiguous: number;
          server_id: string | null;
        }[]
      ).map((r) => ({
        id: r.id,
        email: r.email,
        start: new Date(r.start_at),
        end: new Date(r.end_at),
        startTapId: r.start_tap_id,
        endTapId: r.end_tap_id,
        state: r.state,
        ambiguous: r.ambiguous === 1,
        serverId: r.server_id,
      }));
      const unbooked = outbox.filter((r) =>
        ["held", "pending", "sending"].includes(r.state),
      ).length;
      return { journal, outbox, unbooked };
    })();
  } finally {
    db.close();
  }
}

/** The database is read before the server: whatever the server got since is marked in flight. */
function snapshot(dataDir: string, sim: Simulator, accepted: readonly AcceptedTap[]): SoakSnapshot {
  const { journal, outbox } = readDb(dataDir);
  const remote = sim.state
    .entries()
    .filter((e) => e.userEmail !== SEED_ADMIN.loginEmail)
    .map((e) => ({ id: e.id, userEmail: e.userEmail, start: e.start, end: e.end }));
  return { accepted, journal, outbox, remote };
}

type Fault =
  | "503"
  | "drop-before"
  | "drop-after"
  | "drop-lookup"
  | "expire-tokens"
  | "latency-spike";
const FAULTS: readonly Fault[] = [
  "503",
  "drop-before",
  "drop-after",
  "drop-lookup",
  "expire-tokens",
  "latency-spike",
];

/** Each fault as the simulator's control sets it; `count` is how many requests it hits. */
const APPLY: Record<Fault, (sim: Simulator, count: number) => void> = {
  "503": (sim, count) =>
    sim.faults.failNext(count, 503, { retryAfter: 1, path: "createtimeentry" }),
  "drop-before": (sim, count) =>
    sim.faults.dropNext(count, "before-commit", { path: "createtimeentry" }),
  "drop-after": (sim, count) =>
    sim.faults.dropNext(count, "after-commit", { path: "createtimeentry" }),
  "drop-lookup": (sim, count) =>
    sim.faults.dropNext(count, "before-commit", { path: "timeentries" }),
  "expire-tokens": (sim) => sim.faults.expireAllTokens(),
  "latency-spike": (sim) => sim.faults.setLatency({ minMs: 100, maxMs: 900 }),
};

/** Waits (up to 10 s) until the daemon has answered `count` taps since it started. */
async function tapsAnswered(daemon: DaemonProcess, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  const answered = () => daemon.records.filter((r) => r.msg.startsWith("tap ")).length;
  while (answered() < count && Date.now() < deadline) await sleep(50);
}

async function runSoak(options: SoakOptions): Promise<boolean> {
  const random = seededRandom(options.seed);
  const root = mkdtempSync(join(tmpdir(), "timeclock-soak-"));
  const users = benchUsers((options.kills + 1) * USERS_PER_CYCLE, "soak", 0x0c);
  const sim = await startSimulator({ seed: seedFor(users) });
  const pty = await startPtyPair(root);
  const host = openSync(pty.hostPath, "w");
  const storage = storageFaults(root, random);
  const dataDir = storage.dataDir;
  const accepted: AcceptedTap[] = [];
  const problems: string[] = [];
  const faultCounts: Record<string, number> = {};
  let earlyKills = 0;
  let adopted = 0;
  let refusedByStorage = 0;
  let daemon: DaemonProcess | undefined;
  const say = (line: string) => process.stdout.write(`soak: ${line}\n`);
  try {
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    mapBadges(db, systemClock, users);
    db.close();
    const configPath = writeDaemonConfig(root, {
      dataDir,
      serverUrl: sim.url,
      reader: { type: "serial", path: pty.devicePath },
      concurrency: 2,
      minGapSeconds: 0,
      retryBaseMs: 100,
      retryMaxMs: 2000,
    });
    const env = { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };
    let leftovers: BenchUser[] = [];

    // One cycle free of storage faults and of an early kill, so that every soak accepts taps.
    const sparedRun = Math.min(2, options.kills);
    for (let run = 1; run <= options.kills + 1; run++) {
      const last = run === options.kills + 1;
      sim.faults.clear();
      if (!last) {
        for (const fault of FAULTS.filter(() => random() < 0.35)) {
          APPLY[fault](sim, 1 + randomInt(random, 3));
          faultCounts[fault] = (faultCounts[fault] ?? 0) + 1;
        }
        injectServerFaults(sim, random, faultCounts);
      }
      daemon = new DaemonProcess(configPath, env);
      const current = daemon;
      if (!last && run !== sparedRun && random() < EARLY_KILL_SHARE) {
        await sleep(randomInt(random, 400));
        earlyKills++;
      } else {
        await current.waitFor(
          (r) => r.msg === "terminal ready",
          `readiness of run ${run}`,
          READY_TIMEOUT_MS,
        );
        const found = soakProblems(
          snapshot(dataDir, sim, [...accepted, ...acceptedTaps(current, run)]),
          false,
        );
        problems.push(...found.map((p) => `after restart ${run}: ${p}`));
        if (last) break;
        const fresh = users.slice((run - 1) * USERS_PER_CYCLE, run * USERS_PER_CYCLE);
        const staying = fresh.slice(0, 2);
        const taps = [...fresh, ...leftovers, ...fresh.slice(2)];
        leftovers = staying;
        const spared = run === sparedRun;
        const killAt = Date.now() + 100 + randomInt(random, 2400);
        const endStorageFaults = storage.start(run, spared);
        let written = 0;
        for (const user of taps) {
          // The spared cycle taps every user, so that it has clock-outs (entries) to book.
          if (!spared && Date.now() >= killAt) break;
          writeSync(host, rdm6300Frame(user.badgeId));
          written++;
          await sleep(10 + randomInt(random, 80));
        }
        await endStorageFaults();
        if (spared) await tapsAnswered(current, written);
        await sleep(Math.max(0, killAt - Date.now()));
      }
      current.child.kill("SIGKILL");
      await current.closed;
      accepted.push(...acceptedTaps(current, run));
      adopted += adoptions(current);
      refusedByStorage += storageRefusals(current);
      if (run % 10 === 0)
        say(`${run} kills, ${accepted.length} taps accepted, ${problems.length} problems`);
    }

    const final = daemon as DaemonProcess;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (readDb(dataDir).unbooked > 0 && Date.now() < deadline) await sleep(200);
    const finalSnapshot = snapshot(dataDir, sim, [
      ...accepted,
      ...acceptedTaps(final, options.kills + 1),
    ]);
    problems.push(...soakProblems(finalSnapshot, true).map((p) => `at the end: ${p}`));
    const stopped = await final.stop("SIGTERM");
    await final.closed;
    if (stopped.code !== 0)
      problems.push(`the last daemon exited with ${stopped.code ?? stopped.signal} on SIGTERM`);
    accepted.push(...acceptedTaps(final, options.kills + 1));
    adopted += adoptions(final);
    refusedByStorage += storageRefusals(final);

    const booked = finalSnapshot.outbox.filter((r) => r.state === "booked").length;
    // A run in which nothing was accepted or booked would pass every check without testing any.
    if (accepted.length === 0 || booked === 0) {
      problems.push(
        `the daemon accepted ${accepted.length} taps and booked ${booked} entries: nothing was exercised`,
      );
    }
    for (const problem of problems.slice(0, 50)) process.stderr.write(`soak: PROBLEM ${problem}\n`);
    const faults = Object.entries(faultCounts)
      .map(([f, n]) => `${f} x${n}`)
      .join(", ");
    say(
      `seed ${options.seed}, ${options.kills} kills (${earlyKills} during start-up), ${accepted.length} taps accepted, ${booked} entries booked, ${finalSnapshot.remote.length} on the server, ${adopted} adopted after a lost answer, ${sim.state.counters.requests} requests, faults: ${faults || "none"}; storage: ${storage.summary()}, ${refusedByStorage} taps refused for it; ${problems.length === 0 ? "every check passed" : `${problems.length} problems: FAILED`}`,
    );
    return problems.length === 0;
  } finally {
    if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null)
      await daemon.stop("SIGKILL");
    closeSync(host);
    await pty.close();
    await sim.close();
    storage.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .name("soak")
    .description(
      "kill the real daemon at random moments while it reads taps and books them against a faulty simulator; check after every restart that no accepted tap is lost and every shift is booked exactly once",
    )
    .option("--kills <n>", "how many times the daemon is killed", positiveInt("--kills", 1), 100)
    .option(
      "--seed <n>",
      "seed of the random choices, to replay a run (default: from the clock)",
      positiveInt("--seed", 0),
    )
    .option(
      "--site",
      "the site soak instead: random taps at random doors of three daemons sharing a scratch PostgreSQL, with a door cut off and healed, a door killed, PostgreSQL restarted (docs/site.md)",
    )
    .option(
      "--rounds <n>",
      "with --site: rounds of taps, each ending in one fault",
      positiveInt("--rounds", 1),
      20,
    )
    .parse();
  const opts = program.opts<{ kills: number; seed?: number; site?: boolean; rounds: number }>();
  const seed = opts.seed ?? Date.now() % 2 ** 31;
  if (opts.site) {
    const log = (line: string) => process.stderr.write(`soak: ${line}\n`);
    process.exitCode = (await runSiteSoak({ rounds: opts.rounds, seed, log })) ? 0 : 1;
    return;
  }
  const passed = await runSoak({ kills: opts.kills, seed });
  process.exitCode = passed ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
