import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach } from "vitest";
import { DaemonProcess } from "../../bench/daemon-process.js";
import {
  type BenchUser,
  benchUsers,
  mapBadges,
  seedFor,
  writeDaemonConfig,
} from "../../bench/fixtures.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { SEED_ADMIN, type Simulator, startSimulator } from "../../src/simulator/index.js";
import { openDatabase } from "../../src/store/database.js";
import { Outbox, type OutboxEntry } from "../../src/store/outbox.js";
import { type CliRun, runCaptured } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/**
 * A site for tests of the whole terminal: a simulator, a data directory with mapped badges, a
 * config for `timeclock run` with a stdin reader, and the real daemon as a child process.
 */
export interface DaemonSite {
  sim: Simulator;
  users: BenchUser[];
  configPath: string;
  dataDir: string;
  password: string;
  /** Starts `timeclock run` (under these Node options); it is killed after the test if still running. */
  start(nodeOptions?: readonly string[]): DaemonProcess;
  /** Types badges on the daemon's standard input, one per line. */
  tap(daemon: DaemonProcess, ...users: BenchUser[]): void;
  /** Runs an admin command in-process against this site's config. */
  cli(...argv: string[]): Promise<CliRun>;
  outbox(): OutboxEntry[];
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function daemonSite(
  options: { users?: number; password?: string; retryBaseMs?: number; retryMaxMs?: number } = {},
): Promise<DaemonSite> {
  const dir = tempDir("timeclock-site-");
  const users = benchUsers(options.users ?? 3, "site", 0x0d);
  const sim = await startSimulator({ seed: seedFor(users) });
  cleanups.push(() => sim.close());
  const password = options.password ?? SEED_ADMIN.apiPassword;
  sim.faults.setApiPassword(password);
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger() });
  mapBadges(db, systemClock, users);
  db.close();
  const configPath = writeDaemonConfig(dir, {
    dataDir,
    serverUrl: sim.url,
    reader: { type: "stdin" },
    concurrency: 2,
    minGapSeconds: 0,
    retryBaseMs: options.retryBaseMs ?? 100,
    retryMaxMs: options.retryMaxMs ?? 1000,
  });
  const env = { TIMECLOCK_API_PASSWORD: password };
  return {
    sim,
    users,
    configPath,
    dataDir,
    password,
    start(nodeOptions = []) {
      const daemon = new DaemonProcess(configPath, env, nodeOptions);
      cleanups.push(() => daemon.stop("SIGKILL"));
      return daemon;
    },
    tap(daemon, ...tapped) {
      daemon.child.stdin?.write(tapped.map((user) => `${user.badgeId}\n`).join(""));
    },
    cli: (...argv) => runCaptured([...argv, "--config", configPath], { env }),
    outbox() {
      const reader = openDatabase(dataDir, { logger: silentLogger(), check: false });
      try {
        return new Outbox(reader).list(undefined, 10_000);
      } finally {
        reader.close();
      }
    },
  };
}

/** Waits for `condition`, polling; fails naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Clocks every user in and out, and waits until the daemon has logged each clock-out. */
export async function shiftsOf(site: DaemonSite, daemon: DaemonProcess): Promise<void> {
  site.tap(daemon, ...site.users);
  await until(
    () => daemon.records.filter((r) => r.outcome === "clock-in").length >= site.users.length,
    "every clock-in",
  );
  site.tap(daemon, ...site.users);
  await until(
    () => daemon.records.filter((r) => r.outcome === "clock-out").length >= site.users.length,
    "every clock-out",
  );
}
