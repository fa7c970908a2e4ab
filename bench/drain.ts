import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { SEED_ADMIN, startSimulator } from "../src/simulator/index.js";
import { openDatabase } from "../src/store/database.js";
import { DaemonProcess } from "./daemon-process.js";
import { measureBareClient } from "./drain-floor.js";
import {
  type BenchUser,
  insertPendingEntries,
  mapBadges,
  seedFor,
  writeDaemonConfig,
} from "./fixtures.js";
import { cpuTimeMs, residentMemory } from "./proc.js";
import { elapsedMs } from "./stats.js";

export interface DrainOptions {
  /** Directory on the disk under test; a fresh subdirectory is made and removed. */
  root: string;
  users: readonly BenchUser[];
  entries: number;
  concurrency: number;
  /** Fixed delay the simulator adds to every request. */
  latencyMs: number;
  /** Requests of the bare HTTP client at the same concurrency before the drain (0: none). */
  bareRequests: number;
  /** Options for the daemon's Node, e.g. ["--cpu-prof"] or a heap limit, for the breakdown. */
  nodeOptions?: readonly string[];
}

export interface DrainResult {
  concurrency: number;
  latencyMs: number;
  entries: number;
  /** concurrency / latency: what the sync could reach if nothing but the server took time. */
  boundPerSecond: number;
  /** From spawning the daemon to its last "entry booked" line: start-up included. */
  totalSeconds: number;
  /** From the first to the last "entry booked" line: entries - 1 bookings. */
  steadySeconds: number;
  perSecond: number;
  fractionOfBound: number;
  /** A client doing nothing but HTTP against the same simulator, same concurrency, per second. */
  barePerSecond: number | null;
  /** perSecond over barePerSecond: the share of what the benchmark's server allows at all. */
  fractionOfBare: number | null;
  /** The daemon's user + system CPU between its first and last booking, per booking. */
  cpuMsPerEntry: number;
  /** This process's CPU over the same stretch: the simulator and reading the daemon's log. */
  simulatorCpuMsPerEntry: number;
  retries: number;
  rssAfterBytes: number;
  peakRssBytes: number;
}

const POLL_MS = 10;

function daemonEnv(): NodeJS.ProcessEnv {
  return { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword, TIMECLOCK_LOG_LEVEL: "info" };
}

/**
 * Drains a backlog through the real daemon (`timeclock run`, whose SyncWorker does the booking)
 * against the simulator in this process, so the daemon's CPU and memory are its own.
 */
export async function runDrain(options: DrainOptions): Promise<DrainResult> {
  const dir = mkdtempSync(join(options.root, "drain-"));
  const sim = await startSimulator({ seed: seedFor(options.users) });
  let daemon: DaemonProcess | undefined;
  try {
    sim.faults.setLatency(options.latencyMs);
    const bare =
      options.bareRequests > 0
        ? await measureBareClient(sim.url, options.users, options.concurrency, options.bareRequests)
        : undefined;
    const barePerSecond = bare ? bare.requests / bare.seconds : null;
    const entriesBefore = sim.state.entries().length;
    const dataDir = join(dir, "data");
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    mapBadges(db, systemClock, options.users);
    insertPendingEntries(db, options.users, options.entries, new Date());
    db.close();
    const configPath = writeDaemonConfig(dir, {
      dataDir,
      serverUrl: sim.url,
      reader: { type: "stdin" },
      concurrency: options.concurrency,
    });

    const spawnedAt = process.hrtime.bigint();
    daemon = new DaemonProcess(configPath, daemonEnv(), options.nodeOptions);
    const pid = daemon.child.pid as number;
    const deadline =
      Date.now() + 60_000 + (options.entries / options.concurrency) * options.latencyMs * 3;
    let seen = 0;
    let booked = 0;
    let retries = 0;
    let first: { at: bigint; cpuMs: number; ownCpu: NodeJS.CpuUsage } | undefined;
    while (booked < options.entries) {
      if (Date.now() > deadline) {
        throw new Error(
          `drain at concurrency ${options.concurrency}: only ${booked} of ${options.entries} entries booked before the deadline; daemon stderr: ${daemon.stderr.join("")}`,
        );
      }
      if (daemon.child.exitCode !== null) {
        throw new Error(
          `drain at concurrency ${options.concurrency}: the daemon exited (${daemon.child.exitCode}) after ${booked} bookings: ${daemon.stderr.join("")}${daemon.records
            .slice(-3)
            .map((r) => JSON.stringify(r))
            .join("\n")}`,
        );
      }
      for (; seen < daemon.records.length; seen++) {
        const msg = daemon.records[seen]?.msg;
        if (msg === "entry booked") booked++;
        if (msg === "booking failed; will retry") retries++;
      }
      if (booked > 0 && !first) {
        first = { at: process.hrtime.bigint(), cpuMs: cpuTimeMs(pid), ownCpu: process.cpuUsage() };
      }
      if (booked < options.entries) await sleep(POLL_MS);
    }
    const lastAt = process.hrtime.bigint();
    const lastCpuMs = cpuTimeMs(pid);
    const ownCpu = process.cpuUsage(first?.ownCpu);
    const memory = residentMemory(pid);
    const onServer = sim.state.entries().length - entriesBefore;
    if (onServer !== options.entries) {
      throw new Error(
        `drain at concurrency ${options.concurrency}: the daemon logged ${options.entries} bookings but the simulator holds ${onServer} entries`,
      );
    }
    const start = first ?? { at: spawnedAt, cpuMs: 0 };
    const bookings = Math.max(options.entries - 1, 1);
    const steadySeconds = elapsedMs(start.at, lastAt) / 1000;
    const boundPerSecond = options.concurrency / (options.latencyMs / 1000);
    const perSecond = (options.entries - 1) / steadySeconds;
    return {
      concurrency: options.concurrency,
      latencyMs: options.latencyMs,
      entries: options.entries,
      boundPerSecond,
      totalSeconds: elapsedMs(spawnedAt, lastAt) / 1000,
      steadySeconds,
      perSecond,
      fractionOfBound: perSecond / boundPerSecond,
      barePerSecond,
      fractionOfBare: barePerSecond ? perSecond / barePerSecond : null,
      cpuMsPerEntry: (lastCpuMs - start.cpuMs) / bookings,
      simulatorCpuMsPerEntry: (ownCpu.user + ownCpu.system) / 1000 / bookings,
      retries,
      rssAfterBytes: memory.rss,
      peakRssBytes: memory.peak,
    };
  } finally {
    await daemon?.stop("SIGTERM");
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resident memory of the daemon with an empty outbox, `settleMs` after it said it was ready. */
export async function idleMemory(
  root: string,
  users: readonly BenchUser[],
  settleMs: number,
  nodeOptions: readonly string[] = [],
): Promise<{ rssBytes: number }> {
  const dir = mkdtempSync(join(root, "idle-"));
  const sim = await startSimulator({ seed: seedFor(users) });
  let daemon: DaemonProcess | undefined;
  try {
    const dataDir = join(dir, "data");
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    mapBadges(db, systemClock, users);
    db.close();
    const configPath = writeDaemonConfig(dir, {
      dataDir,
      serverUrl: sim.url,
      reader: { type: "stdin" },
      concurrency: 2,
    });
    daemon = new DaemonProcess(configPath, daemonEnv(), nodeOptions);
    await daemon.waitFor((record) => record.msg === "terminal ready", "readiness", 30_000);
    await sleep(settleMs);
    return { rssBytes: residentMemory(daemon.child.pid as number).rss };
  } finally {
    await daemon?.stop("SIGTERM");
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
