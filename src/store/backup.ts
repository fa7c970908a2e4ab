import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "../core/logger.js";
import { markInUse, syncDirectory } from "./data-dir.js";
import { checkProblems, DATABASE_FILE, type Db, migrate, schemaVersion } from "./database.js";
import { StoreError } from "./faults.js";
import { SCHEMA_VERSION } from "./migrations.js";

/** Tables every timeclock database has since the first schema version. */
const TIMECLOCK_TABLES = ["badges", "taps", "entries", "open_shifts", "reviews", "admin_events"];

/** A file name for a copy taken at `now`, sorting in time order: timeclock-20260310-120000Z.db. */
export function backupFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `timeclock-${stamp}Z.db`;
}

export const BACKUP_FILE_PATTERN = /^timeclock-(\d{8})-(\d{6})Z\.db$/;

/** Rows per table, for reports; a table that cannot be read counts as -1. */
export function tableCounts(db: Db): Record<string, number> {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all() as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    try {
      counts[name] = (
        db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }
      ).n;
    } catch {
      counts[name] = -1;
    }
  }
  return counts;
}

export interface BackupResult {
  file: string;
  bytes: number;
  version: number;
  counts: Record<string, number>;
}

/**
 * A consistent copy of the open database, through SQLite's online backup API: taps committed by
 * other processes meanwhile do not disturb it (a reader in WAL mode never blocks the writer).
 * Written to FILE.partial, checked, made a standalone file (rollback journal, no -wal beside it),
 * then renamed over FILE, so a copy under its final name is always complete.
 */
export async function writeBackup(db: Db, file: string): Promise<BackupResult> {
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    // One step for the whole file: a step reads one snapshot, so another process's commit
    // between two steps cannot make the copy start over.
    await db.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
    const copy = new Database(partial);
    let result: BackupResult;
    try {
      copy.pragma("journal_mode = DELETE");
      const problems = checkProblems(copy, "quick_check");
      if (problems.length > 0) {
        throw new StoreError(`the copy failed its check: ${problems.slice(0, 3).join("; ")}`);
      }
      result = { file, bytes: 0, version: schemaVersion(copy), counts: tableCounts(copy) };
      result.bytes =
        (copy.pragma("page_count", { simple: true }) as number) *
        (copy.pragma("page_size", { simple: true }) as number);
    } finally {
      copy.close();
    }
    renameSync(partial, file);
    syncDirectory(dirname(file));
    return result;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

export interface CopyReport {
  version: number;
  counts: Record<string, number>;
}

/** Refuses a file that is damaged, not a timeclock database, or newer than this program. */
function judgeCopy(db: Db, file: string): CopyReport {
  const problems = checkProblems(db, "integrity_check");
  if (problems.length > 0) {
    throw new StoreError(
      `${file} fails SQLite's integrity check (${problems.slice(0, 3).join("; ")}); pick another backup, or salvage it first with: timeclock recover --from ${file}`,
      "damaged",
    );
  }
  const counts = tableCounts(db);
  const missing = TIMECLOCK_TABLES.filter((table) => counts[table] === undefined);
  if (missing.length > 0) {
    throw new StoreError(
      `${file} is an SQLite file but not a timeclock database (no table ${missing.join(", ")})`,
    );
  }
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      `${file} has schema version ${version}, newer than this timeclock knows (${SCHEMA_VERSION}); restore it with the timeclock that wrote it`,
      "too-new",
    );
  }
  return { version, counts };
}

export interface RestoreResult extends CopyReport {
  /** The copy's schema version before it was migrated to this program's. */
  copyVersion: number;
  /** Where the database that was in use is kept, or null when there was none. */
  keptAs: string | null;
  /** Entries not booked or discarded in the copy: each is looked up on the server before it is sent. */
  markedAmbiguous: number;
  entries: Record<string, number>;
}

function moveWithSidecars(from: string, to: string): void {
  for (const suffix of ["-wal", "-shm", ""]) {
    if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
  }
}

/**
 * Installs a copy as the terminal's database. The caller holds the data directory's lock. The
 * copy is checked and prepared beside the database first; only then is the database in use moved
 * aside (with its -wal, which may hold its last transactions) and the copy renamed into place.
 */
export function installCopy(
  dataDir: string,
  file: string,
  now: Date,
  logger: Logger,
): RestoreResult {
  if (!existsSync(file)) throw new StoreError(`${file} does not exist`);
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  const staging = join(dataDir, `${DATABASE_FILE}.restoring-${stamp}`);
  copyFileSync(file, staging);
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${staging}-wal`);
  let result: RestoreResult;
  try {
    let db: Db;
    try {
      db = new Database(staging);
    } catch (error) {
      throw new StoreError(`${file} is not an SQLite database (${(error as Error).message})`);
    }
    try {
      let judged: CopyReport;
      try {
        judged = judgeCopy(db, file);
      } catch (error) {
        if (error instanceof StoreError) throw error;
        throw new StoreError(
          `${file} cannot be read as an SQLite database (${(error as Error).message}); pick another backup`,
          "damaged",
        );
      }
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      migrate(db, logger);
      // Contract 2: anything in the copy may have been booked after the copy was taken, so every
      // entry that is not booked or discarded is looked up on the server before it is sent again.
      const marked = db.transaction(() => {
        const changed = db
          .prepare(
            "UPDATE entries SET ambiguous = 1 WHERE state NOT IN ('booked', 'discarded') AND ambiguous = 0",
          )
          .run().changes;
        db.prepare("DELETE FROM runtime_status").run();
        db.prepare(
          "INSERT INTO admin_events (at, action, subject, detail) VALUES (?, 'restore', ?, ?)",
        ).run(now.toISOString(), basename(file), `schema version ${judged.version}`);
        return changed;
      })();
      const entries = Object.fromEntries(
        (
          db.prepare("SELECT state, count(*) AS n FROM entries GROUP BY state").all() as {
            state: string;
            n: number;
          }[]
        ).map((row) => [row.state, row.n]),
      );
      db.pragma("wal_checkpoint(TRUNCATE)");
      result = {
        version: schemaVersion(db),
        copyVersion: judged.version,
        counts: tableCounts(db),
        keptAs: null,
        markedAmbiguous: marked,
        entries,
      };
    } finally {
      db.close();
    }
    const current = join(dataDir, DATABASE_FILE);
    if (existsSync(current)) {
      result.keptAs = join(dataDir, `${DATABASE_FILE}.before-restore-${stamp}`);
      moveWithSidecars(current, result.keptAs);
    }
    moveWithSidecars(staging, current);
    syncDirectory(dataDir);
    markInUse(dataDir, now);
    return result;
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${staging}${suffix}`, { force: true });
  }
}
