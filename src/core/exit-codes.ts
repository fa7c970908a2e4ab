/**
 * Process exit codes, after BSD sysexits so that scripts and systemd can tell failures apart.
 * `config` and the storage faults a restart cannot fix are listed in the unit's
 * RestartPreventExitStatus=, so the service does not restart forever on them.
 */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** Unexpected error (a bug) or a check that failed. */
  failure: 1,
  /** The command line is wrong. */
  usage: 64,
  /** GoodTime or this terminal refused the request as asked. */
  refused: 65,
  /** GoodTime could not be reached. */
  network: 69,
  /** The data directory is held by another timeclock process (a running daemon, a restore or a recover); try again once it has ended. */
  dataDirBusy: 75,
  /** GoodTime refused the credentials. */
  auth: 77,
  /** The configuration file is missing, unreadable, not valid JSON or has a wrong key. */
  config: 78,
  /** The database file is missing or empty in a data directory that was in use, or was deleted or replaced while the daemon ran. */
  databaseMissing: 79,
  /** The database file is damaged (corrupt, truncated, or not an SQLite file): timeclock recover salvages it. */
  databaseDamaged: 80,
  /** The filesystem holding the data directory is mounted read-only. */
  readOnlyFilesystem: 81,
  /** The disk holding the data directory is full. */
  diskFull: 82,
  /** terminal.dataDir is not a directory, or this user may not create or write it. */
  dataDirUnusable: 83,
  /** The database was written by a newer timeclock (its schema version is higher than this program knows). */
  databaseTooNew: 84,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * What a restart cannot fix: the unit lists these in RestartPreventExitStatus=. Not dataDirBusy
 * (the other process ends) and not diskFull (space may be freed; the daemon waits a minute first).
 */
export const NO_RESTART_EXIT_CODES: readonly ExitCode[] = [
  ExitCode.config,
  ExitCode.databaseMissing,
  ExitCode.databaseDamaged,
  ExitCode.readOnlyFilesystem,
  ExitCode.dataDirUnusable,
  ExitCode.databaseTooNew,
];

/** An error that ends a command with a one-line reason and a chosen exit code. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CommandError";
  }
}
