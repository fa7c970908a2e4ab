import { type DrainResult, idleMemory, runDrain } from "./drain.js";
import type { benchUsers } from "./fixtures.js";
import { seededRandom } from "./random.js";
import type { SitePlan } from "./site-bench.js";
import { measureStartup, type StartupResult } from "./startup.js";
import { measureTapLatency, type TapLatencyResult } from "./tap-latency.js";
import { measureWalPages } from "./wal-pages.js";

/** What `npm run bench` measures and how often; the series of issue 15's figures. */

export interface Plan {
  users: number;
  taps: number;
  warmupTaps: number;
  historyTaps: number;
  drainEntries: number;
  concurrencies: number[];
  latencyMs: number;
  /** Lines of the badge CSVs imported, smallest first. */
  importRows: number[];
  /** Seconds of taps at 10/s per console scenario. */
  consoleSeconds: number;
  /** Each figure of issue 15 is measured this many times: series of taps, starts, drains. */
  runs: number;
  /** Daemon starts per start-up series. */
  starts: number;
  /** Seconds of taps at 10/s per display scenario. */
  displaySeconds: number;
  site: SitePlan;
}

export const FULL: Plan = {
  users: 200,
  taps: 1000,
  warmupTaps: 50,
  historyTaps: 1_000_000,
  drainEntries: 10_000,
  concurrencies: [2, 4, 8],
  latencyMs: 20,
  importRows: [10_000, 100_000],
  consoleSeconds: 20,
  runs: 3,
  starts: 5,
  displaySeconds: 20,
  site: { taps: 200, usersPerDoor: 20, drainEntries: 300, latencyMs: 20 },
};

export const QUICK: Plan = {
  ...FULL,
  taps: 200,
  warmupTaps: 20,
  historyTaps: 20_000,
  drainEntries: 600,
  importRows: [1_000, 10_000],
  consoleSeconds: 5,
  runs: 1,
  starts: 3,
  displaySeconds: 5,
  site: { taps: 40, usersPerDoor: 4, drainEntries: 40, latencyMs: 20 },
};

type Users = ReturnType<typeof benchUsers>;

export async function measureTaps(
  root: string,
  users: Users,
  plan: Plan,
  log: (line: string) => void,
): Promise<TapLatencyResult[]> {
  const taps: TapLatencyResult[] = [];
  for (const historyTaps of [0, plan.historyTaps]) {
    log(`tap latency with ${historyTaps} taps in the journal, ${plan.runs} series`);
    taps.push(
      ...(await measureTapLatency({
        root,
        users,
        taps: plan.taps,
        warmupTaps: plan.warmupTaps,
        historyTaps,
        random: seededRandom(1),
        runs: plan.runs,
      })),
    );
  }
  return taps;
}

export function measureWal(root: string, users: Users, plan: Plan, log: (line: string) => void) {
  log("pages written per tap");
  return [0, plan.historyTaps].map((historyTaps) =>
    measureWalPages(root, users, plan.taps, { taps: historyTaps, random: seededRandom(1) }),
  );
}

export async function measureStartups(
  root: string,
  users: Users,
  plan: Plan,
  nodeOptions: readonly string[],
  log: (line: string) => void,
): Promise<StartupResult[]> {
  const startup: StartupResult[] = [];
  for (let run = 1; run <= plan.runs; run++) {
    log(`start-up, series ${run} of ${plan.runs}`);
    startup.push(
      await measureStartup({
        root,
        users,
        runs: plan.starts,
        historyTaps: 0,
        random: seededRandom(run),
        nodeOptions,
      }),
    );
  }
  return startup;
}

export async function measureIdleMemory(
  root: string,
  users: Users,
  plan: Plan,
  nodeOptions: readonly string[],
  log: (line: string) => void,
): Promise<number[]> {
  const idleRssBytes: number[] = [];
  for (let run = 1; run <= plan.runs; run++) {
    log(`idle memory of the daemon, ${run} of ${plan.runs}`);
    idleRssBytes.push((await idleMemory(root, users, 2000, nodeOptions)).rssBytes);
  }
  return idleRssBytes;
}

export async function measureDrains(
  root: string,
  users: Users,
  plan: Plan,
  nodeOptions: readonly string[],
  log: (line: string) => void,
): Promise<DrainResult[]> {
  const drains: DrainResult[] = [];
  for (let run = 1; run <= plan.runs; run++) {
    for (const concurrency of plan.concurrencies) {
      log(`draining ${plan.drainEntries} entries at concurrency ${concurrency}, run ${run}`);
      drains.push(
        await runDrain({
          root,
          users,
          entries: plan.drainEntries,
          concurrency,
          latencyMs: plan.latencyMs,
          bareRequests: Math.min(1_000, plan.drainEntries),
          nodeOptions,
        }),
      );
    }
  }
  return drains;
}
