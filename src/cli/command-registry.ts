import type { Command } from "commander";
import type { CliContext } from "./context.js";

/**
 * Every top-level command: its name, arguments and description, and the module that builds it,
 * loaded only when that command runs (or shows its own help). `timeclock run` then loads the
 * daemon's code and nothing of the simulator, the admin commands or their schemas, and
 * `timeclock --help` lists every command without loading any. A module may define several
 * top-level commands (queue, retry and discard); they are listed here in the order it adds them.
 * A new top-level command gets an entry here and calls describeCommand(name) for its description.
 */

export type RegisterCommands = (program: Command, context: CliContext) => void;

export interface TopCommand {
  name: string;
  /** As commander shows them after the name, e.g. "<file>" or "[id]". */
  args?: string;
  description: string;
}

export interface CommandModule {
  commands: readonly TopCommand[];
  load: () => Promise<RegisterCommands>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  {
    commands: [
      {
        name: "run",
        description:
          "run the terminal in the foreground: read badges, journal taps, book shifts (what the systemd service runs); logs JSON lines on stdout. Stops on SIGTERM or SIGINT, and with the stdin reader at the end of its input, exiting 0; exits 75 at once when another timeclock process holds the data directory",
      },
    ],
    load: async () => (await import("./commands/run.js")).registerRunCommand,
  },
  {
    commands: [
      {
        name: "demo",
        description:
          "try the terminal: starts a GoodTime simulator and a terminal reading badge numbers from the keyboard, in a temporary directory",
      },
    ],
    load: async () => (await import("./commands/demo.js")).registerDemoCommand,
  },
  {
    commands: [
      {
        name: "config",
        description: "validate the configuration and show its schema",
      },
    ],
    load: async () => (await import("./commands/config.js")).registerConfigCommands,
  },
  {
    commands: [
      {
        name: "badges",
        description:
          "map badges to GoodTime users: add, edit, list, remove, import and export CSV, list unknown badges (works while the terminal runs; it is told of every change at once)",
      },
    ],
    load: async () => (await import("./commands/badges.js")).registerBadgeCommands,
  },
  {
    commands: [
      {
        name: "status",
        description:
          "show the terminal's health, most urgent first: daemon, reader, sync, entries per state, oldest unbooked entry, open shifts, reviews, unknown badges tapped since last listed, clock, and the web console's address and certificate fingerprint. Fits 80 columns. Exits 0 when nothing needs attention, 1 on a warning, 2 when something critical is wrong (for monitoring scripts)",
      },
    ],
    load: async () => (await import("./commands/status.js")).registerStatusCommand,
  },
  {
    commands: [
      {
        name: "site",
        description:
          "site mode: several doors sharing badges, shifts and bookings through PostgreSQL (docs/site.md)",
      },
    ],
    load: async () => (await import("./commands/site.js")).registerSiteCommands,
  },
  {
    commands: [
      {
        name: "queue",
        description:
          "list the outbox, oldest shift first: id, user, local shift, state, attempts, project, and under each entry the server's last error in full; `queue retry`, `queue edit` and `queue discard` fix entries",
      },
      {
        name: "retry",
        args: "[id]",
        description:
          "put a refused entry back in line, booked with what is true now: the user, time type and project of the badge's current mapping, or what `queue edit` set. The running terminal books it at once",
      },
      {
        name: "discard",
        args: "<id>",
        description:
          "give up on booking an entry (held, pending or refused); it stays in the outbox as discarded and the reason is recorded (timeclock audit)",
      },
    ],
    load: async () => (await import("./commands/queue.js")).registerQueueCommands,
  },
  {
    commands: [
      {
        name: "review",
        description:
          "list shifts the terminal would not book on its own (longer than pairing.maxShiftHours, or timed by a clock that could not be trusted); resolve each with `review book` or `review discard`",
      },
    ],
    load: async () => (await import("./commands/review.js")).registerReviewCommands,
  },
  {
    commands: [
      {
        name: "audit",
        description:
          "read back what admins did, oldest first: badge changes, retries, edits, discards and review decisions, each with its details and the reason given",
      },
    ],
    load: async () => (await import("./commands/audit.js")).registerAuditCommand,
  },
  {
    commands: [
      {
        name: "export",
        description:
          "write what the terminal recorded in a date range as CSV, for payroll when GoodTime cannot be reached: taps (tap_id, local and UTC time, badge, user, outcome, reason, clock_synced, entry_id) and entries (entry_id, user, the booked start and end local and UTC, minutes and hours as GoodTime books them, the raw start and end, the rounding, state, server_id, time type, project). With --what both (the default) the taps table comes first, then an empty line, then the entries table, each with its header; use --what taps or --what entries for a single table that any CSV reader imports. Local times are in terminal.timeZone; a cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return, other than a plain number) gets a leading apostrophe",
      },
    ],
    load: async () => (await import("./commands/export.js")).registerExportCommand,
  },
  {
    commands: [
      {
        name: "reports",
        description:
          "hours per person per day, week or month (--period) from --from to --to, local days inclusive (default: this month so far), counted as GoodTime books them: each shift on the local day it began, discarded entries left out, entries not booked yet, open shifts and shifts tapped by PIN marked; --csv for payroll (the console's Reports page gives the same). In site mode the shifts of every door, from the site database",
      },
    ],
    load: async () => (await import("./commands/reports.js")).registerReportsCommand,
  },
  {
    commands: [
      {
        name: "backup",
        description:
          "write a consistent copy of the database to FILE (or into the directory FILE), at any time, also while the terminal runs and taps arrive",
      },
      {
        name: "restore",
        args: "<file>",
        description:
          "install a backup as the terminal's database: checks it, refuses while the terminal runs, keeps the current database aside, and marks every entry not booked for a lookup before it is sent",
      },
      {
        name: "recover",
        description:
          "salvage a damaged database into a new file, row by row, keeping the damaged one as it is; refuses while the terminal runs",
      },
    ],
    load: async () => (await import("./commands/storage.js")).registerStorageCommands,
  },
  {
    commands: [
      {
        name: "console",
        description:
          "the web admin console that `timeclock run` serves when console.enabled is true",
      },
    ],
    load: async () => (await import("./commands/console.js")).registerConsoleCommands,
  },
  {
    commands: [
      {
        name: "server",
        description:
          "talk to the GoodTime account of the config: test the login, list, book, delete",
      },
    ],
    load: async () => (await import("./commands/server.js")).registerServerCommands,
  },
  {
    commands: [
      {
        name: "simulator",
        description:
          "run a GoodTime simulator for tests, soak runs and trying a config; prints what a config needs",
      },
    ],
    load: async () => (await import("./commands/simulator.js")).registerSimulatorCommands,
  },
  {
    commands: [
      {
        name: "gpio",
        description: "check the wiring of the LEDs, buzzer and function keys (hardware/README.md)",
      },
    ],
    load: async () => (await import("./commands/gpio.js")).registerGpioCommands,
  },
  {
    commands: [
      {
        name: "display",
        description: "check the screen at the door (display.type; hardware/display.md)",
      },
    ],
    load: async () => (await import("./commands/display.js")).registerDisplayCommands,
  },
  {
    commands: [
      {
        name: "doctor",
        description:
          "check config, data directory, reader, GPIO, clock, the site database and the GoodTime account, each ok, warn or fail with what to do",
      },
    ],
    load: async () => (await import("./commands/doctor.js")).registerDoctorCommands,
  },
];

const byName = new Map(
  COMMAND_MODULES.flatMap((module) => module.commands.map((command) => [command.name, command])),
);

/** The description of a top-level command, for the module that builds it. */
export function describeCommand(name: string): string {
  const command = byName.get(name);
  if (!command)
    throw new Error(`command ${name} is not in COMMAND_MODULES (src/cli/command-registry.ts)`);
  return command.description;
}

/** Options of the program itself that take a value, so that their value is not a command name. */
const VALUE_OPTIONS = new Set(["-c", "--config"]);

/**
 * The top-level command a command line runs, as commander will find it: the first word that is
 * not an option of the program or its value; for `help NAME`, NAME. Undefined for none (`--help`,
 * `--version`, no words), so that nothing is loaded.
 */
export function commandNameIn(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i++) {
    const word = argv[i] as string;
    if (word === "--") continue;
    if (VALUE_OPTIONS.has(word)) i++;
    else if (!word.startsWith("-")) words.push(word);
  }
  const [first, second] = words;
  return first === "help" ? second : first;
}
