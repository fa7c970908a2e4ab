import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { DaemonProcess } from "../../bench/daemon-process.js";
import { type PtyPair, startPtyPair } from "../../bench/pty-pair.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { tempDir } from "../helpers/temp.js";
import { rdm6300Frame } from "../readers/frames.js";

/** A whole terminal for end-to-end tests: simulator, an RDM6300 on a socat pty, config, daemon. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export interface Setup {
  dir: string;
  configPath: string;
  sim: Simulator;
  pty: PtyPair;
  tap(badgeId: string): void;
}

export interface SetupOptions {
  users?: string[];
  minGapSeconds?: number;
  /** Extra keys of the config's entry and pairing sections. */
  entry?: Record<string, unknown>;
  pairing?: Record<string, unknown>;
}

export async function setup(options: SetupOptions = {}): Promise<Setup> {
  const dir = tempDir("timeclock-e2e-");
  const sim = await startSimulator(
    options.users
      ? {
          seed: {
            admin: SEED_ADMIN,
            userEmails: [SEED_ADMIN.loginEmail, ...options.users],
            timeTypes: [SEED_TIME_TYPES.workingHours],
            projects: [],
          },
        }
      : {},
  );
  cleanups.push(() => sim.close());
  const pty = await startPtyPair(dir);
  cleanups.push(() => pty.close());
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: {
        name: "e2e-door",
        timeZone: "Europe/Berlin",
        dataDir: join(dir, "data"),
        clockTrust: "system",
      },
      server: { baseUrl: sim.url, loginEmail: SEED_ADMIN.loginEmail, timeoutMs: 2000 },
      reader: {
        type: "serial",
        path: pty.devicePath,
        baudRate: 9600,
        protocol: "rdm6300",
        repeatSuppressMs: 300,
      },
      entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id, ...options.entry },
      pairing: {
        minGapSeconds: options.minGapSeconds ?? 1,
        maxShiftHours: 12,
        ...options.pairing,
      },
      sync: { concurrency: 2, retryBaseMs: 100, retryMaxMs: 1000 },
    }),
  );
  const host = openSync(pty.hostPath, "w");
  cleanups.push(async () => closeSync(host));
  return { dir, configPath, sim, pty, tap: (badgeId) => writeSync(host, rdm6300Frame(badgeId)) };
}

export function mapBadges(dataDir: string, badges: { badgeId: string; email: string }[]): void {
  const db = openDatabase(dataDir, { logger: silentLogger() });
  new BadgeRepository(db, systemClock).putAll(
    badges.map((b) => ({ ...b, knownBits: 40 as const })),
  );
  db.close();
}

export function startDaemon(configPath: string): DaemonProcess {
  const daemon = new DaemonProcess(configPath, { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword });
  cleanups.push(async () => void (await daemon.stop("SIGKILL")));
  return daemon;
}
