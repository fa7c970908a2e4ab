import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import type { CheckResult } from "../../src/doctor/types.js";
import {
  SEED_ADMIN,
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { runCaptured } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";
import { openFreePty } from "./free-pty.js";
import { NOW } from "./helpers.js";

/** A terminal as the doctor finds it: simulator on loopback, config, data dir, badges, a reader. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export const PASSWORD_ENV = { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };

export interface Site {
  dir: string;
  configPath: string;
  sim: Simulator;
  devicePath: string;
  ptsPath: string;
}

/** Anna's badge without overrides, Ben's with the travel time type and the workshop project. */
export async function site(
  options: { sim?: SimulatorOptions; server?: object; reader?: object } = {},
): Promise<Site> {
  const dir = tempDir("timeclock-doctor-");
  const sim = await startSimulator(options.sim ?? {});
  cleanups.push(() => sim.close());
  const pty = await openFreePty(dir);
  cleanups.push(() => pty.close());
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger() });
  new BadgeRepository(db, new FakeClock(NOW)).putAll([
    { badgeId: "0F00A1B2C3", knownBits: 40, email: SEED_USERS.anna },
    {
      badgeId: "0F00A1B2C4",
      knownBits: 40,
      email: SEED_USERS.ben,
      timeTypeId: SEED_TIME_TYPES.travel.id,
      projectId: SEED_PROJECTS.workshop.id,
    },
  ]);
  db.close();
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: { timeZone: "Europe/Berlin", dataDir, clockTrust: "system" },
      server: {
        baseUrl: sim.url,
        loginEmail: SEED_ADMIN.loginEmail,
        timeoutMs: 2000,
        ...options.server,
      },
      reader: { type: "serial", path: pty.devicePath, ...options.reader },
      entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
    }),
  );
  chmodSync(configPath, 0o600);
  return { dir, configPath, sim, devicePath: pty.devicePath, ptsPath: pty.ptsPath };
}

export interface ConfigJson {
  terminal: Record<string, unknown>;
  server: Record<string, unknown>;
  [section: string]: unknown;
}

export function editConfig(s: Site, edit: (config: ConfigJson) => void): void {
  const config = JSON.parse(readFileSync(s.configPath, "utf8")) as ConfigJson;
  edit(config);
  writeFileSync(s.configPath, JSON.stringify(config));
}

/** `timeclock doctor --json ARGS` in-process, at NOW; results also keyed by check name. */
export async function doctor(s: Site, args: string[] = [], env: NodeJS.ProcessEnv = PASSWORD_ENV) {
  const { code, stdout, stderr } = await runCaptured(
    ["--config", s.configPath, "doctor", "--json", ...args],
    { env, clock: new FakeClock(NOW) },
  );
  const results = JSON.parse(stdout) as CheckResult[];
  const byName: Record<string, CheckResult | undefined> = Object.fromEntries(
    results.map((result) => [result.check, result]),
  );
  return { code, results, byName, stderr };
}
