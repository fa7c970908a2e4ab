import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { BadgeRepository, type NewBadge } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { type CliRun, runCaptured } from "./cli.js";
import { RunProcess } from "./run-process.js";
import { tempDir } from "./temp.js";

/**
 * One terminal as an admin meets it: the GoodTime simulator on loopback, a config with the stdin
 * reader, a data directory, the real daemon as a process (`timeclock run`) and the real CLI on the
 * same config. Everything is stopped after the test.
 */
export interface TerminalSite {
  sim: Simulator;
  dir: string;
  dataDir: string;
  configPath: string;
  /** Maps badges before the daemon starts, as an install would have. */
  mapBadges(badges: readonly NewBadge[]): void;
  /** Starts `timeclock run` and waits until it is ready. */
  start(): Promise<RunProcess>;
  /** `timeclock --config <site config> ...argv`, in-process, with the API password. */
  cli(...argv: string[]): Promise<CliRun>;
  /** The same with `input` on standard input. */
  cliWithInput(input: string, ...argv: string[]): Promise<CliRun>;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function terminalSite(
  config: {
    sync?: Record<string, unknown>;
    terminal?: Record<string, unknown>;
    console?: Record<string, unknown>;
  } = {},
): Promise<TerminalSite> {
  const dir = tempDir("timeclock-site-");
  const sim = await startSimulator();
  cleanups.push(() => sim.close());
  const dataDir = join(dir, "data");
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: { name: "site-door", dataDir, clockTrust: "system", ...config.terminal },
      server: { baseUrl: sim.url, loginEmail: SEED_ADMIN.loginEmail, timeoutMs: 2000 },
      reader: { type: "stdin" },
      entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
      pairing: { minGapSeconds: 0 },
      // Retries far apart: whatever is booked within a test was started by what the test did.
      sync: { retryBaseMs: 600_000, retryMaxMs: 3_600_000, ...config.sync },
      ...(config.console ? { console: config.console } : {}),
    }),
  );
  const env = { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };
  return {
    sim,
    dir,
    dataDir,
    configPath,
    mapBadges(badges) {
      const db = openDatabase(dataDir, { logger: silentLogger() });
      new BadgeRepository(db, systemClock).putAll(badges);
      db.close();
    },
    async start() {
      const run = new RunProcess(configPath, env);
      cleanups.push(() => run.stop());
      await run.waitFor("readiness", (line) => line.msg === "terminal ready");
      return run;
    },
    cli: (...argv) => runCaptured(["--config", configPath, ...argv], { env }),
    cliWithInput: (input, ...argv) =>
      runCaptured(["--config", configPath, ...argv], { env, stdin: input }),
  };
}
