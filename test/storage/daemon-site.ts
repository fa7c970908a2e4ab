import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { DaemonProcess } from "../../bench/daemon-process.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { tempDir } from "../helpers/temp.js";

/** A real daemon (`timeclock run`, badges typed on its stdin) against the simulator on loopback. */

export const ANNA_BADGE = "0F00A1B2C3";
export const BEN_BADGE = "0F00A1B2C4";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export interface Site {
  dir: string;
  dataDir: string;
  configPath: string;
  sim: Simulator;
  start(): DaemonProcess;
  tap(daemon: DaemonProcess, badgeId: string): void;
}

export interface SiteOptions {
  dataDir?: string;
  /** Config sections beside the usual ones (e.g. reader, backup). */
  extra?: object;
  /** The simulator's users besides the admin; default: its seed. */
  users?: string[];
}

export async function site(options: SiteOptions = {}): Promise<Site> {
  const dir = tempDir("timeclock-storage-");
  const dataDir = options.dataDir ?? join(dir, "data");
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
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: { name: "door", timeZone: "Europe/Berlin", dataDir, clockTrust: "system" },
      server: { baseUrl: sim.url, loginEmail: SEED_ADMIN.loginEmail, timeoutMs: 2000 },
      reader: { type: "stdin" },
      entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
      pairing: { minGapSeconds: 0, maxShiftHours: 12 },
      sync: { concurrency: 1, retryBaseMs: 100, retryMaxMs: 1000 },
      ...options.extra,
    }),
  );
  return {
    dir,
    dataDir,
    configPath,
    sim,
    start() {
      const daemon = new DaemonProcess(configPath, {
        TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword,
        NOTIFY_SOCKET: "",
      });
      cleanups.push(async () => void (await daemon.stop("SIGKILL")));
      return daemon;
    },
    tap: (daemon, badgeId) => daemon.child.stdin?.write(`${badgeId}\n`),
  };
}

export function mapBadges(
  dataDir: string,
  badges: { badgeId: string; email: string }[] = [
    { badgeId: ANNA_BADGE, email: SEED_USERS.anna },
    { badgeId: BEN_BADGE, email: SEED_USERS.ben },
  ],
): void {
  const db = openDatabase(dataDir, { logger: silentLogger() });
  new BadgeRepository(db, systemClock).putAll(
    badges.map((b) => ({ ...b, knownBits: 40 as const })),
  );
  db.close();
}

/** Runs `work` when the test ends, after the test's own steps. */
export function atEnd(work: () => Promise<void>): void {
  cleanups.push(work);
}

/**
 * Another process (not a connection of this one) that holds the database's write lock, as an
 * admin's sqlite3 shell in BEGIN IMMEDIATE would, until release() is called.
 */
export async function holdWriteLock(dataDir: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n");
    process.stdin.once("data", () => { db.exec("COMMIT"); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ["-e", script, databasePath(dataDir)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: process.cwd(),
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`the lock holder exited ${code}`)));
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const release = async () => {
    if (child.exitCode !== null) return;
    child.stdin.write("go\n");
    await exited;
  };
  cleanups.push(release);
  return { release };
}
