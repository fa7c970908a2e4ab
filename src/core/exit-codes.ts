/**
 * Process exit codes: the one table. Each code has one meaning in every command, so that scripts,
 * monitoring and systemd can act on it; the README's table is made from this one (a test compares
 * them). The health commands (`status`, `doctor`, `config check`) answer 0, 1 or 2 as monitoring
 * plugins do; failures use codes after BSD sysexits where one fits, and 80 and up for the admin's
 * own outcomes, 90 and up for storage faults. `config` and the storage faults a restart cannot fix
 * are listed in the unit's RestartPreventExitStatus=, so the service does not restart forever on them.
 */
export const EXIT_CODES = {
  ok: {
    code: 0,
    meaning: "done; for `status`, `doctor` and `config check`: all is well",
  },
  warning: {
    code: 1,
    meaning:
      "`status`, `doctor`, `config check`: something needs attention soon (a refused entry, an unsynchronised clock, a world-readable password), but the terminal works",
  },
  critical: {
    code: 2,
    meaning:
      "`status`, `doctor`, `config check`: the terminal does not do its job (not running, reader down, no API password, booking paused); doctor: a check failed",
  },
  usage: {
    code: 64,
    meaning:
      "the command line is wrong: an unknown option, a bad value, a 10-digit badge without --digits when the terminal cannot tell which reading is meant",
  },
  refused: {
    code: 65,
    meaning: "GoodTime refused the request of a `server` command: it understood and said no",
  },
  noInput: {
    code: 66,
    meaning: "a file named on the command line cannot be read (missing, no permission)",
  },
  network: {
    code: 69,
    meaning:
      "GoodTime cannot be reached, does not answer as its API (a captive portal, a wrong server.baseUrl, a failing service), or its answer was lost",
  },
  software: {
    code: 70,
    meaning: "an unexpected error, a bug: please report it with the message and the log",
  },
  cannotWrite: {
    code: 73,
    meaning: "an output file (`--out`) cannot be written",
  },
  storage: {
    code: 74,
    meaning:
      "the database cannot be opened or read (damaged, newer schema, data directory not writable); the message says how to recover",
  },
  dataDirBusy: {
    code: 75,
    meaning:
      "the data directory is held by another timeclock process (a running daemon, a restore or a recover); try again once it has ended",
  },
  auth: { code: 77, meaning: "GoodTime refused the login: the API password or login email" },
  config: {
    code: 78,
    meaning:
      "the configuration is invalid or unreadable; the service does not restart on it: fix the file, then start it",
  },
  badInput: {
    code: 80,
    meaning:
      "the input was refused as a whole and nothing was written: bad lines in a badge CSV, or values `--check` found unknown to GoodTime",
  },
  notFound: { code: 81, meaning: "no such entry, review or badge mapping" },
  conflict: {
    code: 82,
    meaning:
      "not possible in the current state: the entry is not refused or already booked, the review is resolved, a badge matches several mappings, or someone changed it meanwhile",
  },
  wrongUser: {
    code: 83,
    meaning:
      "run as root on a database that belongs to the service user; run it as that user: sudo -u timeclock timeclock ...",
  },
  noDevice: {
    code: 84,
    meaning:
      "no LED, buzzer, display or other device of the command could be opened (`gpio test`, `display test`)",
  },
  terminalUnreachable: {
    code: 85,
    meaning:
      "the running terminal is needed and could not be reached (`badges enrol` arms its reader): start it, and run the command as the service user",
  },
  noTap: {
    code: 86,
    meaning:
      "`badges enrol`: no badge was tapped at the reader within the minute, or the enrolment was cancelled; nothing was saved",
  },
  siteUnreachable: {
    code: 87,
    meaning:
      "site mode: the site database does not answer; badge mappings, entries, reviews and taps are kept there once for every door, so nothing was changed or shown (`badges` changes, `queue`, `review`, `export`, `reports`): try again when it answers (`timeclock site status`)",
  },
  databaseMissing: {
    code: 90,
    meaning:
      "the database file is missing or empty in a data directory that was in use, or was deleted or replaced while the daemon ran; restore a backup (timeclock restore)",
  },
  databaseDamaged: {
    code: 91,
    meaning:
      "the database file is damaged (corrupt, truncated, or not an SQLite file): timeclock recover salvages it",
  },
  readOnlyFilesystem: {
    code: 92,
    meaning: "the filesystem holding the data directory is mounted read-only",
  },
  diskFull: {
    code: 93,
    meaning: "the disk holding the data directory is full; the service retries about once a minute",
  },
  dataDirUnusable: {
    code: 94,
    meaning: "terminal.dataDir is not a directory, or this user may not create or write it",
  },
  databaseTooNew: {
    code: 95,
    meaning:
      "the database was written by a newer timeclock (its schema version is higher than this program knows)",
  },
} as const satisfies Record<string, { code: number; meaning: string }>;

export type ExitCodeName = keyof typeof EXIT_CODES;

export const ExitCode = Object.fromEntries(
  Object.entries(EXIT_CODES).map(([name, entry]) => [name, entry.code]),
) as { readonly [Name in ExitCodeName]: (typeof EXIT_CODES)[Name]["code"] };
export type ExitCode = (typeof ExitCode)[ExitCodeName];

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

/** What the service (`timeclock run` under systemd) does when it exits with a code. */
function serviceAction(code: number): string {
  if ((NO_RESTART_EXIT_CODES as readonly number[]).includes(code)) return "stays stopped";
  if (code === ExitCode.diskFull) return "shows the fault for a minute, then restarts";
  if (code === ExitCode.dataDirBusy) return "restarts; comes back once the other process ended";
  if (code === ExitCode.software) return "restarts after 5 s";
  return "";
}

/** The table of every exit code as Markdown, for the README (npm run docs rewrites it). */
export function exitCodesMarkdown(): string {
  const rows = Object.values(EXIT_CODES)
    .sort((a, b) => a.code - b.code)
    .map((entry) => `| ${entry.code} | ${entry.meaning} | ${serviceAction(entry.code)} |`);
  return ["| code | meaning | the service |", "|---|---|---|", ...rows].join("\n");
}

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

/** Ends a command with a code and no message: it has said everything on stdout (`status`). */
export class ExitStatus extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit status ${exitCode}`);
    this.name = "ExitStatus";
  }
}
