import { statSync } from "node:fs";
import { userInfo } from "node:os";
import type { Command } from "commander";
import { READ_ONLY_LINK, socketDaemonLink } from "../admin/daemon-link.js";
import type { AdminDeps, DaemonNote } from "../admin/index.js";
import type { LoadedConfig } from "../config/load.js";
import { systemClock } from "../core/clock.js";
import { CommandError, ExitCode } from "../core/exit-codes.js";
import type { Logger } from "../core/logger.js";
import { siteBadgeWriter } from "../site/badges.js";
import { siteEntryStore } from "../site/entries.js";
import { databasePath, openDatabase } from "../store/database.js";
import { type CliContext, commandLogger, loadConfigFor } from "./context.js";

/** What an admin command works with: the admin layer's deps, and the config and logger. */
export interface AdminSession {
  deps: AdminDeps;
  loaded: LoadedConfig;
  logger: Logger;
  /** terminal.timeZone: local times are shown in it and typed times read in it. */
  zone: string;
}

/**
 * "read": the command only reads (status, queue, lists, exports) and tells the daemon nothing.
 * "write": it changes the store and tells the running daemon at once.
 * "create": like "write", and it may start a database in a data directory that never held one
 * (mapping badges before the first start); elsewhere a missing or empty database is an error
 * with a recovery hint, never a silent fresh start.
 */
export type StoreAccess = "read" | "write" | "create";

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
    ExitCode.wrongUser,
  );
}

/** Who runs the command, for the admin record: the login behind sudo when there is one. */
export function cliActor(env: NodeJS.ProcessEnv): string {
  let login = env.SUDO_USER;
  if (!login) {
    try {
      login = userInfo().username;
    } catch {
      login = `uid ${process.getuid?.() ?? "?"}`;
    }
  }
  return `cli:${login}`;
}

/** Says on stderr whether the running terminal heard of the change. */
export function reportDaemon(context: CliContext, note: DaemonNote | null): void {
  if (note === null) return;
  context.stderr.write(note.told ? `terminal: ${note.detail}\n` : `note: ${note.detail}\n`);
}

/**
 * Runs `work` on the terminal's database. The daemon may be running on the same file: WAL and the
 * busy timeout make that safe, and admin writes are single short transactions.
 */
export async function withStore<T>(
  command: Command,
  context: CliContext,
  access: StoreAccess,
  work: (session: AdminSession) => T | Promise<T>,
): Promise<T> {
  const loaded = loadConfigFor(command, context);
  const logger = commandLogger(context, loaded);
  const { dataDir } = loaded.config.terminal;
  refuseRootOnForeignDatabase(dataDir);
  const db = openDatabase(dataDir, {
    logger: logger.child({ part: "store" }),
    check: false,
    create: access === "create" ? "if-new" : "never",
    onCreate: (path) =>
      context.stderr.write(
        `timeclock: created a new, empty database ${path} (this data directory held none)\n`,
      ),
  });
  const clock = context.clock ?? systemClock;
  const actor = cliActor(context.env);
  // Site mode: badge changes go to the site database, the one mapping of every door.
  const site =
    loaded.config.site && access !== "read"
      ? siteBadgeWriter({
          config: loaded.config.site,
          password: loaded.site?.password,
          db,
          clock,
          logger,
          applicationName: `timeclock ${loaded.config.site.terminalId} admin`,
        })
      : null;
  // Site mode: entries, reviews and taps of every door are in the site database, read or not.
  const entries = loaded.config.site
    ? siteEntryStore({
        config: loaded.config.site,
        password: loaded.site?.password,
        logger,
        applicationName: `timeclock ${loaded.config.site.terminalId} admin`,
      })
    : null;
  try {
    return await work({
      deps: {
        db,
        clock,
        config: loaded.config,
        daemon: access === "read" ? READ_ONLY_LINK : socketDaemonLink(dataDir),
        actor,
        ...(site ? { siteBadges: site.as(actor) } : {}),
        ...(entries ? { siteEntries: entries.store, siteAudit: entries.audit } : {}),
      },
      loaded,
      logger,
      zone: loaded.config.terminal.timeZone,
    });
  } finally {
    await entries?.close();
    await site?.close();
    db.close();
  }
}
