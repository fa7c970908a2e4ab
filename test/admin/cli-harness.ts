import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { type Db, openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { runCaptured } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Harness {
  dir: string;
  dataDir: string;
  configPath: string;
  clock: FakeClock;
  /** Runs `timeclock --config <temp config> ...argv` in-process. */
  cli(...argv: string[]): Promise<CliResult>;
  /** A second connection to the same database file, as the daemon would hold. */
  openDb(): Db;
}

export interface HarnessOptions {
  baseUrl?: string;
  now?: string;
  password?: string | null;
  timeZone?: string;
  /** Leave the data directory without a database, as on a fresh install. Default: false. */
  fresh?: boolean;
  /** Keys of the config's entry section besides timeTypeId and comment, e.g. rounding. */
  entry?: Record<string, unknown>;
}

/**
 * A temp config and data directory; the database is a real SQLite file in it, created up front as
 * the terminal creates it at its first start (unless `fresh`).
 */
export function harness(options: HarnessOptions = {}): Harness {
  const dir = tempDir("timeclock-admin-");
  const dataDir = join(dir, "data");
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: { name: "door", timeZone: options.timeZone ?? "Europe/Berlin", dataDir },
      server: {
        loginEmail: "admin@gtsandbox.en",
        baseUrl: options.baseUrl ?? "http://127.0.0.1:9/goodtime-rs",
        timeoutMs: 2000,
      },
      entry: { timeTypeId: "work", comment: "{terminal} {badgeName}", ...options.entry },
    }),
    { mode: 0o600 },
  );
  if (!options.fresh) openDatabase(dataDir, { logger: silentLogger() }).close();
  const clock = new FakeClock(options.now ?? "2026-03-10T12:00:00Z");
  const env: NodeJS.ProcessEnv =
    options.password === null ? {} : { TIMECLOCK_API_PASSWORD: options.password ?? "12345678" };
  const dbs: Db[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
  });
  return {
    dir,
    dataDir,
    configPath,
    clock,
    cli: (...argv) => runCaptured(["--config", configPath, ...argv], { env, clock }),
    openDb() {
      const db = openDatabase(dataDir, { logger: silentLogger() });
      dbs.push(db);
      return db;
    },
  };
}

/** stderr without the note that no terminal runs to be told of a change (no daemon in these tests). */
export function withoutNote(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => !line.startsWith("note: the terminal is not running"))
    .join("\n");
}

/** `timeclock badges list --json`, parsed. */
export async function badgeListJson(h: Harness) {
  const result = await h.cli("badges", "list", "--json");
  if (result.code !== 0) throw new Error(`badges list failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as {
    badgeId: string;
    knownBits: number;
    email: string;
    name: string | null;
    timeTypeId: string | null;
    projectId: string | null;
    text: string;
  }[];
}
