import { statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "../core/logger.js";
import { inUseSince, markerPath, markInUse, prepareDataDir } from "./data-dir.js";
import { classifyStorageError, fixes, StoreError } from "./faults.js";
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from "./migrations.js";

export { StoreError } from "./faults.js";

export type Db = Database.Database;

export const DATABASE_FILE = "timeclock.db";

/** How long an admin command waits for the daemon's write lock before it gives up. */
export const ADMIN_BUSY_TIMEOUT_MS = 5000;

/**
 * How long the daemon waits for another process's write lock. better-sqlite3 is synchronous: while
 * SQLite waits, the event loop is frozen (reader, LEDs, watchdog). A tap or an admin write holds
 * the lock for milliseconds, so 250 ms rides over those; a longer hold (a sqlite3 shell in
 * BEGIN IMMEDIATE, a big import) makes the tap fail at once, refused and logged, and the sync
 * try again shortly, instead of freezing the terminal for seconds.
 */
export const DAEMON_BUSY_TIMEOUT_MS = 250;

/** Switches a connection opened with the admin wait to the daemon's short one. */
export function useDaemonBusyTimeout(db: Db): void {
  db.pragma(`busy_timeout = ${DAEMON_BUSY_TIMEOUT_MS}`);
}

/** SQLite could not get a lock in time: worth a short retry, not a crash. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
  );
}

export interface OpenOptions {
  logger: Logger;
  /** Run PRAGMA quick_check; the daemon does at start, quick admin commands may skip it. */
  check?: boolean;
  /**
   * "if-new" (the default) creates the database only in a data directory that was never in use;
   * "never" opens an existing one only (read-only admin commands).
   */
  create?: "if-new" | "never";
  /** Told when this open created the database. */
  onCreate?: (path: string) => void;
  /** Longest wait for another connection's write lock; see ADMIN_BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
  /** Apply pending migrations up to this version (tests step through them one by one). */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

function applyPragmas(db: Db, busyTimeoutMs: number): void {
  // Only takes effect on a new file. Each tap rewrites a handful of B-tree pages; at 1 KiB instead
  // of 4 KiB a page, a tap writes a quarter of the bytes to the SD card.
  db.pragma("page_size = 1024");
  db.pragma("journal_mode = WAL");
  // synchronous is per connection and not stored in the file, so it is set on every open.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // The daemon and admin commands share the file; a writer waits briefly instead of failing.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
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
      `database schema version ${current} is newer than this program knows (${newest}); install the newer timeclock again or restore a backup made by this version (timeclock restore FILE)`,
      "too-new",
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

/** Problems PRAGMA quick_check (or integrity_check) reports; empty when the file is sound. */
export function checkProblems(db: Db, pragma: "quick_check" | "integrity_check"): string[] {
  const rows = db.pragma(pragma) as Record<string, string>[];
  return rows.map((row) => String(Object.values(row)[0])).filter((line) => line !== "ok");
}

function quickCheck(db: Db, path: string): void {
  const problems = checkProblems(db, "quick_check");
  if (problems.length > 0) {
    throw new StoreError(
      `database ${path} is damaged (${problems.slice(0, 3).join("; ")}); ${fixes.damaged(path)}`,
      "damaged",
    );
  }
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A missing or empty database is a fresh start only where no journal was ever kept. */
function refuseLostDatabase(dataDir: string, path: string, mode: "if-new" | "never"): boolean {
  const size = fileSize(path);
  if (size !== undefined && size > 0) return false;
  const what = size === undefined ? "is missing" : "is empty (0 bytes)";
  const since = inUseSince(dataDir);
  if (since !== undefined) {
    throw new StoreError(
      `database ${path} ${what}, but this data directory holds a journal since ${since} (${markerPath(dataDir)}). Restore the newest backup with: timeclock restore FILE (see backup.path); if a damaged copy was moved aside, salvage it with: timeclock recover --from FILE. Only to start a new, empty journal on purpose, remove ${markerPath(dataDir)}`,
      "missing",
    );
  }
  if (mode === "never") {
    throw new StoreError(
      `no database in ${dataDir} yet (${path} ${what}): nothing was journalled there. Check terminal.dataDir in the config given with --config; the terminal creates the database when it first starts (timeclock run), and badges add creates it too`,
      "missing",
    );
  }
  return true;
}

/**
 * Opens the terminal's database with durable settings and the current schema, creating it only in
 * a data directory that never held one (see IN_USE_MARKER). Every fault is a StoreError that
 * names the cause and the fix.
 */
export function openDatabase(dataDir: string, options: OpenOptions): Db {
  const mode = options.create ?? "if-new";
  const path = databasePath(dataDir);
  let db: Db | undefined;
  try {
    if (mode === "if-new") prepareDataDir(dataDir);
    const creating = refuseLostDatabase(dataDir, path, mode);
    const busyTimeoutMs = options.busyTimeoutMs ?? ADMIN_BUSY_TIMEOUT_MS;
    // The wait also governs the pragmas that run before applyPragmas sets busy_timeout
    // (journal_mode needs the lock); better-sqlite3's own default is 5 s.
    db = new Database(path, { fileMustExist: mode === "never", timeout: busyTimeoutMs });
    applyPragmas(db, busyTimeoutMs);
    if (options.check ?? true) quickCheck(db, path);
    migrate(db, options.logger, options.migrations, options.targetVersion ?? SCHEMA_VERSION);
    try {
      markInUse(dataDir, new Date());
    } catch (error) {
      options.logger.warn(
        { err: error, marker: markerPath(dataDir) },
        "could not mark the data directory as in use; a lost database would look like a fresh start",
      );
    }
    if (creating) options.onCreate?.(path);
    return db;
  } catch (error) {
    db?.close();
    throw (
      classifyStorageError(error, dataDir, path) ??
      new StoreError(`cannot open database ${path}: ${(error as Error).message}`)
    );
  }
}

/**
 * Opens a database file that must exist, without creating, migrating or changing it: for
 * inspecting one (doctor), whatever its schema version.
 */
export function openExistingDatabase(path: string): Db {
  const db = new Database(path, { fileMustExist: true });
  db.pragma(`busy_timeout = ${ADMIN_BUSY_TIMEOUT_MS}`);
  return db;
}

/**
 * Runs `work` as one write transaction, taken at once (BEGIN IMMEDIATE), so that what it reads is
 * what it writes over: the daemon's taps wait on its lock instead of slipping in between.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/**
 * Runs `work` (statements outside any transaction, each its own commit) without an fsync of its
 * own: in WAL mode, synchronous=NORMAL appends the commit to the WAL, and it reaches the disk with
 * the next fsync'd commit (a tap, the next entry marked sending) or checkpoint. A killed process
 * loses nothing; a power cut may lose these commits, so only records whose loss the design
 * recovers from may go through here. The connection is back at synchronous=FULL afterwards.
 */
export function withoutOwnFsync<T>(db: Db, work: () => T): T {
  // Not a cached statement: SQLite applies this pragma when it compiles it, not when it runs.
  db.exec("PRAGMA synchronous = NORMAL");
  try {
    return work();
  } finally {
    db.exec("PRAGMA synchronous = FULL");
  }
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
