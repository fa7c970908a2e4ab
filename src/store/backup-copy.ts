import Database from "better-sqlite3";
import type { Db } from "./database.js";

/**
 * A consistent copy of the open database at `path`, taken online with SQLite's backup API while
 * the daemon keeps writing (WAL readers do not block it), and made a standalone file in rollback
 * mode so that it opens without a -wal beside it.
 */
export async function copyDatabase(db: Db, path: string): Promise<void> {
  await db.backup(path);
  const copy = new Database(path);
  try {
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
}
