import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { CommandError, ExitCode } from "../core/exit-codes.js";
import type { Logger } from "../core/logger.js";
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from "./migrations.js";

export type Db = Database.Database;

export const DATABASE_FILE = "timeclock.db";

export class StoreError extends CommandError {
  constructor(message: string) {
    super(message, ExitCode.storage);
    this.name = "StoreError";
  }
}

export interface OpenOptions {
  logger: Logger;
  /** Run PRAGMA quick_check; the daemon does at start, quick admin commands may skip it. */
  check?: boolean;
  /** Apply pending migrations up to this version (tests step through them one by one). */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

function applyPragmas(db: Db): void {
  // Only takes effect on a new file. Each tap rewrites a handful of B-tree pages; at 1 KiB instead
  // of 4 KiB a page, a tap writes a quarter of the bytes to the SD card.
  db.pragma("page_size = 1024");
  db.pragma("journal_mode = WAL");
  // synchronous is per connection and not stored in the file, so it is set on every open.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // The daemon and admin commands share the file; a writer waits briefly instead of failing.
  db.pragma("busy_timeout = 5000");
}

export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

export function migrate(
  db: Db,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
  target = migrations.at(-1)?.version ?? 0,
): void {
  const current = schemaVersion(db);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new StoreError(
      `database schema version ${current} is newer than this program knows (${newest}); install the newer timeclock again or restore a backup`,
    );
  }
  for (const step of migrations) {
    if (step.version <= current || step.version > target) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
    logger.info({ version: step.version, description: step.description }, "database migrated");
  }
}

/** What SQLite's quick_check finds wrong with the file; empty when it is sound. */
export function quickCheckProblems(db: Db): string[] {
  const rows = db.pragma("quick_check") as { quick_check: string }[];
  return rows.map((row) => row.quick_check).filter((line) => line !== "ok");
}

function quickCheck(db: Db, path: string): void {
  const problems = quickCheckProblems(db);
  if (problems.length > 0) {
    throw new StoreError(
      `database ${path} is damaged (${problems.slice(0, 3).join("; ")}). Stop the service, copy the file aside, then try: sqlite3 ${path} ".recover" | sqlite3 recovered.db`,
    );
  }
}

/** Opens (creating if needed) the terminal's database with durable settings and the current schema. */
export function openDatabase(dataDir: string, options: OpenOptions): Db {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new StoreError(
      `cannot create the data directory ${JSON.stringify(dataDir)} (${(error as NodeJS.ErrnoException).code}); set terminal.dataDir to a writable directory`,
    );
  }
  const path = databasePath(dataDir);
  let db: Db;
  try {
    db = new Database(path);
    applyPragmas(db);
    if (options.check ?? true) quickCheck(db, path);
    migrate(db, options.logger, options.migrations, options.targetVersion ?? SCHEMA_VERSION);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const code = (error as { code?: string }).code;
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
      throw new StoreError(
        `database ${path} is not a readable SQLite file (${code}). Stop the service and move the file aside; the journal cannot be trusted until it is recovered`,
      );
    }
    throw new StoreError(`cannot open database ${path}: ${(error as Error).message}`);
  }
  return db;
}

/**
 * Opens a database file that must exist, without creating, migrating or changing it: for
 * inspecting one (doctor), whatever its schema version.
 */
export function openExistingDatabase(path: string): Db {
  const db = new Database(path, { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}

/**
 * Runs `work` as one write transaction, taken at once (BEGIN IMMEDIATE), so that what it reads is
 * what it writes over: the daemon's taps wait on its lock instead of slipping in between.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/** Throws unless the database answers a trivial query: the watchdog's proof of life. */
export function assertAnswers(db: Db): void {
  statement(db, "SELECT 1").get();
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection. Every tap runs the same handful of
 * statements; compiling them again each time costs more CPU than the queries themselves.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** ISO 8601 UTC with milliseconds: sorts as text in time order. */
export function toDbTime(date: Date): string {
  return date.toISOString();
}

export function fromDbTime(text: string): Date {
  return new Date(text);
}
