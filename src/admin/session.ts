import { statSync } from "node:fs";
import type { Command } from "commander";
import type { CliContext } from "../cli/context.js";
import { commandLogger, loadConfigFor } from "../cli/context.js";
import type { LoadedConfig } from "../config/load.js";
import { type Clock, systemClock } from "../core/clock.js";
import { CommandError, ExitCode } from "../core/exit-codes.js";
import type { Logger } from "../core/logger.js";
import { type Db, databasePath, openDatabase } from "../store/database.js";

export interface AdminSession {
  db: Db;
  loaded: LoadedConfig;
  clock: Clock;
  logger: Logger;
  /** terminal.timeZone: local times are shown in it and typed times read in it. */
  zone: string;
}

/** Log lines of admin commands go to stderr, silent unless TIMECLOCK_LOG_LEVEL asks for them. */

/**
 * Root could open the database, but the -wal and -shm files SQLite creates beside it would then
 * belong to root and lock the daemon's own user out of its journal.
 */
function refuseRootOnForeignDatabase(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const path = databasePath(dataDir);
  let owner: number;
  try {
    owner = statSync(path).uid;
  } catch {
    return;
  }
  if (owner === 0) return;
  throw new CommandError(
    `database ${path} belongs to uid ${owner} but this command runs as root; files SQLite creates beside it would belong to root and lock the terminal out. Run it as the database's owner, e.g. sudo -u timeclock timeclock ...`,
    ExitCode.refused,
  );
}

/**
 * How an admin command opens the database. "existing" (reads, and writes to what is there) never
 * creates one: a missing or empty file is an error with a recovery hint. "create-if-new" (adding
 * badges) may create it, in a data directory that never held a journal only, and says so.
 */
export type StoreOpenMode = "existing" | "create-if-new";

/**
 * Runs `work` on the terminal's database. The daemon may be running on the same file: WAL and the
 * busy timeout make that safe, and admin writes are single short transactions.
 */
export function withStore<T>(
  command: Command,
  context: CliContext,
  work: (session: AdminSession) => T | Promise<T>,
): Promise<T> {
  return withStoreOpened(command, context, work, "existing");
}

/** withStore for commands that may start a journal in a fresh data directory (badges add, import). */
export function withNewOrExistingStore<T>(
  command: Command,
  context: CliContext,
  work: (session: AdminSession) => T | Promise<T>,
): Promise<T> {
  return withStoreOpened(command, context, work, "create-if-new");
}

async function withStoreOpened<T>(
  command: Command,
  context: CliContext,
  work: (session: AdminSession) => T | Promise<T>,
  open: StoreOpenMode,
): Promise<T> {
  const loaded = loadConfigFor(command, context);
  const logger = commandLogger(context, loaded);
  refuseRootOnForeignDatabase(loaded.config.terminal.dataDir);
  const db = openDatabase(loaded.config.terminal.dataDir, {
    logger: logger.child({ part: "store" }),
    check: false,
    create: open === "create-if-new" ? "if-new" : "never",
    onCreate: (path) =>
      context.stderr.write(
        `timeclock: created a new, empty database ${path} (this data directory held none)\n`,
      ),
  });
  try {
    return await work({
      db,
      loaded,
      clock: context.clock ?? systemClock,
      logger,
      zone: loaded.config.terminal.timeZone,
    });
  } finally {
    db.close();
  }
}
