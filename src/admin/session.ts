import type { Command } from "commander";
import { DateTime } from "luxon";
import type { CliContext } from "../cli/context.js";
import { loadConfigFor } from "../cli/context.js";
import type { LoadedConfig } from "../config/load.js";
import { type Clock, systemClock } from "../core/clock.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../core/logger.js";
import { type Db, openDatabase } from "../store/database.js";

/** The CLI context as admin commands read it: tests may hand in a clock. */
export type AdminContext = CliContext & { clock?: Clock };

export interface AdminSession {
  db: Db;
  loaded: LoadedConfig;
  clock: Clock;
  logger: Logger;
  /** terminal.timeZone: local times are shown in it and typed times read in it. */
  zone: string;
}

/** Log lines of admin commands go to stderr, silent unless TIMECLOCK_LOG_LEVEL asks for them. */
export function adminLogger(context: CliContext, loaded: LoadedConfig): Logger {
  const wanted = context.env.TIMECLOCK_LOG_LEVEL;
  const level = LOG_LEVELS.find((name) => name === wanted) ?? ("silent" satisfies LogLevel);
  return createLogger({ level, redactBadges: loaded.config.log.redactBadges }, context.stderr);
}

/**
 * Runs `work` on the terminal's database. The daemon may be running on the same file: WAL and the
 * busy timeout make that safe, and admin writes are single short transactions.
 */
export async function withStore<T>(
  command: Command,
  context: AdminContext,
  work: (session: AdminSession) => T | Promise<T>,
): Promise<T> {
  const loaded = loadConfigFor(command, context);
  const logger = adminLogger(context, loaded);
  const db = openDatabase(loaded.config.terminal.dataDir, {
    logger: logger.child({ part: "store" }),
    check: false,
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

/** A local time for people, with its offset so that the repeated hour of a DST change is clear. */
export function localTime(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");
}

/** A duration for people: "3 d 4 h", "2 h 5 min", "40 s". */
export function ageText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
