import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { openDatabase } from "../src/store/database.js";
import { DaemonProcess } from "./daemon-process.js";
import { type BenchUser, insertHistory, mapBadges, writeDaemonConfig } from "./fixtures.js";
import { residentMemory } from "./proc.js";
import { startPtyPair } from "./pty-pair.js";
import { elapsedMs, type Summary, summarize } from "./stats.js";

export interface StartupOptions {
  root: string;
  users: readonly BenchUser[];
  runs: number;
  /** Taps in the journal before the first start (a year of taps: quick_check reads it all). */
  historyTaps: number;
  random: () => number;
  /** Options for the daemon's Node, e.g. ["--cpu-prof"] to see where start-up goes. */
  nodeOptions?: readonly string[];
}

export interface StartupResult {
  runs: number;
  historyTaps: number;
  /** Spawning `timeclock run` until its "reader open" line arrived. */
  toReaderOpen: Summary;
  /** Spawning until "terminal ready", logged right after READY=1 is sent to systemd. */
  toReady: Summary;
  /** The daemon's resident memory when it said ready. */
  rssAtReadyBytes: Summary;
  /** Module files loaded until ready, in one more start: ES modules (by Node's loader) and CommonJS. */
  modulesAtReady: { esm: number; commonjs: number };
}

/**
 * A loader hook that notes each ES module file and, at exit, each CommonJS one, into `out`.* files;
 * Node's built-in modules are not counted.
 */
function moduleCounter(dir: string): {
  nodeOptions: string[];
  read: () => StartupResult["modulesAtReady"];
} {
  const out = join(dir, "modules");
  const hooks = join(dir, "count-hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  if (url.startsWith("file:")) appendFileSync(${JSON.stringify(`${out}.esm`)}, url + "\\n");
  return next(url, context);
}`,
  );
  const register = join(dir, "count.mjs");
  writeFileSync(
    register,
    `import { register, createRequire } from "node:module";
import { writeFileSync } from "node:fs";
register(${JSON.stringify(`file://${hooks}`)});
const cache = createRequire(import.meta.url)("node:module")._cache;
process.on("exit", () => writeFileSync(${JSON.stringify(`${out}.cjs`)}, Object.keys(cache).join("\\n") + "\\n"));`,
  );
  const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);
  return {
    nodeOptions: [`--import=${register}`],
    // The ES modules that Node loads as CommonJS (a package's main) are counted once, as CommonJS.
    read: () => {
      const commonjs = new Set(lines(`${out}.cjs`).map((path) => `file://${path}`));
      const esm = lines(`${out}.esm`).filter((url) => !commonjs.has(url));
      return { esm: esm.length, commonjs: commonjs.size };
    },
  };
}

/**
 * What an employee waits for after a power cut: `timeclock run` (the built CLI, as systemd starts
 * it) on a serial RDM6300 reader behind a socat pseudo-terminal, from spawn to the reader being
 * open and to ready, `runs` times on the same data directory; each run is stopped with SIGTERM.
 */
export async function measureStartup(options: StartupOptions): Promise<StartupResult> {
  const dir = mkdtempSync(join(options.root, "startup-"));
  const pty = await startPtyPair(dir);
  try {
    const dataDir = join(dir, "data");
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    mapBadges(db, systemClock, options.users);
    if (options.historyTaps > 0) {
      insertHistory(db, options.users, options.historyTaps, new Date(), options.random);
      db.pragma("wal_checkpoint(TRUNCATE)");
    }
    db.close();
    const configPath = writeDaemonConfig(dir, {
      dataDir,
      serverUrl: "http://127.0.0.1:9/goodtime-rs",
      reader: { type: "serial", path: pty.devicePath },
      concurrency: 2,
    });
    const toReaderOpen: number[] = [];
    const toReady: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const spawnedAt = process.hrtime.bigint();
      const daemon = new DaemonProcess(
        configPath,
        {
          TIMECLOCK_API_PASSWORD: "startup-bench",
          TIMECLOCK_LOG_LEVEL: "info",
        },
        options.nodeOptions,
      );
      let failure: unknown;
      try {
        await daemon.waitFor((r) => r.msg === "reader open", "the reader opening", 30_000);
        toReaderOpen.push(elapsedMs(spawnedAt, process.hrtime.bigint()));
        await daemon.waitFor((r) => r.msg === "terminal ready", "readiness", 120_000);
        toReady.push(elapsedMs(spawnedAt, process.hrtime.bigint()));
        rss.push(residentMemory(daemon.child.pid as number).rss);
      } catch (error) {
        failure = error;
      }
      // Stopped either way, so that no daemon outlives the benchmark; then a clean stop is checked.
      const stopped = await daemon.stop("SIGTERM");
      await daemon.closed;
      if (failure) throw failure;
      if (stopped.code !== 0) {
        throw new Error(
          `timeclock run exited with ${stopped.code ?? stopped.signal} on SIGTERM: ${daemon.stderr.join("")}`,
        );
      }
    }
    const counter = moduleCounter(dir);
    const counted = new DaemonProcess(
      configPath,
      { TIMECLOCK_API_PASSWORD: "startup-bench", TIMECLOCK_LOG_LEVEL: "info" },
      [...(options.nodeOptions ?? []), ...counter.nodeOptions],
    );
    try {
      await counted.waitFor((r) => r.msg === "terminal ready", "readiness", 120_000);
    } finally {
      await counted.stop("SIGTERM");
      await counted.closed;
    }
    return {
      modulesAtReady: counter.read(),
      runs: options.runs,
      historyTaps: options.historyTaps,
      toReaderOpen: summarize(toReaderOpen),
      toReady: summarize(toReady),
      rssAtReadyBytes: summarize(rss),
    };
  } finally {
    await pty.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
