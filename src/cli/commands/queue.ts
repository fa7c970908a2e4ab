import { type Command, InvalidArgumentError, Option } from "commander";
import { DateTime } from "luxon";
import {
  discardEntry,
  editEntry,
  listQueue,
  QUEUE_FILTERS,
  type QueueEntry,
  type QueueFilter,
  retryEntries,
} from "../../admin/index.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { reportDaemon, withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { REPORT_WIDTH, renderJson, renderTable, wrapAfter } from "../output.js";

const DETAIL_INDENT = "    ";

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${JSON.stringify(text)} is not a whole number of 1 or more.`);
  }
  return value;
}

/** "2026-03-10 08:00–16:30" on one day, both dates when the shift crosses midnight. */
export function localSpan(start: Date, end: Date, zone: string): string {
  const from = DateTime.fromJSDate(start, { zone });
  const to = DateTime.fromJSDate(end, { zone });
  const endFormat = from.hasSame(to, "day") ? "HH:mm" : "yyyy-MM-dd HH:mm";
  return `${from.toFormat("yyyy-MM-dd HH:mm")}–${to.toFormat(endFormat)}`;
}

/** The lines under an entry's row: the server's whole reason, wrapped, and what an admin set. */
function detailLines(entry: QueueEntry): string[] {
  const lines: string[] = [];
  if (entry.lastError) {
    const code = entry.lastErrorCode ? ` [${entry.lastErrorCode}]` : "";
    lines.push(
      ...wrapAfter(
        "last error: ",
        `${entry.lastError}${code}`,
        REPORT_WIDTH - DETAIL_INDENT.length,
        "  ",
      ),
    );
  }
  if (entry.override) {
    const set = Object.entries(entry.override)
      .map(([field, value]) => `${field} ${value ?? "none"}`)
      .join(", ");
    lines.push(`admin set: ${set} (timeclock audit --subject ${entry.id})`);
  }
  return lines.map((line) => `${DETAIL_INDENT}${line}`);
}

function renderQueue(entries: readonly QueueEntry[], zone: string): string {
  const columns = ["id", "user", "shift", "hours", "state", "attempts", "project"];
  const table = renderTable(
    entries.map((entry) => ({
      id: entry.id,
      user: entry.email,
      shift: localSpan(entry.booked.start, entry.booked.end, zone),
      hours: entry.booked.hours,
      state: entry.state,
      attempts: entry.attempts,
      project: entry.projectId,
    })),
    columns,
  ).split("\n");
  if (entries.length === 0) return `${table.join("\n")}`;
  const [header, ...rows] = table;
  const body = entries.flatMap((entry, i) => [rows[i] ?? "", ...detailLines(entry)]);
  return `${[header, ...body].join("\n")}\n(shifts as booked in GoodTime, times in ${zone})\n`;
}

interface QueueOptions {
  state: QueueFilter;
  json?: boolean;
  limit: number;
}

interface EditOptions {
  email?: string;
  timeType?: string;
  /** false with --no-project. */
  project?: string | false;
}

export function registerQueueCommands(program: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);

  const retry = async (id: string | undefined, allRefused: boolean, command: Command) => {
    if ((id === undefined) === !allRefused) {
      throw new CommandError(
        "name one entry id or give --all-refused (not both); see timeclock queue --state refused",
        ExitCode.usage,
      );
    }
    await withStore(command, context, "write", async ({ deps }) => {
      const result = await retryEntries(deps, id !== undefined ? { id } : { allRefused: true });
      const n = result.retried.length;
      out(`${n} ${n === 1 ? "entry" : "entries"} put back in line to be booked\n`);
      for (const entry of result.retried) {
        const changes = (["email", "timeTypeId", "projectId"] as const)
          .filter((field) => entry.before[field] !== entry.after[field])
          .map(
            (field) =>
              `${field} ${entry.before[field] ?? "none"} -> ${entry.after[field] ?? "none"}`,
          );
        if (changes.length > 0) out(`  ${entry.id}: booked as now mapped: ${changes.join(", ")}\n`);
      }
      for (const skipped of result.skipped) {
        context.stderr.write(`warning: entry ${skipped.id} stays refused: ${skipped.reason}\n`);
      }
      reportDaemon(context, result.daemon);
      if (result.skipped.length > 0) {
        throw new CommandError(
          `${result.skipped.length} refused ${result.skipped.length === 1 ? "entry was" : "entries were"} not retried (see above)`,
          ExitCode.conflict,
        );
      }
    });
  };

  const discard = async (id: string, reason: string, command: Command) => {
    await withStore(command, context, "write", async ({ deps }) => {
      const result = await discardEntry(deps, { id, reason });
      out(`discarded entry ${id} (${result.entry.email}); reason recorded\n`);
      reportDaemon(context, result.daemon);
    });
  };

  const queue = program
    .command("queue")
    .description(describeCommand("queue"))
    .addOption(
      new Option(
        "--state <state>",
        "only entries in this state; unfinished = held, pending, sending and refused",
      )
        .choices(QUEUE_FILTERS)
        .default("unfinished"),
    )
    .option("--limit <n>", "show at most this many entries (1 or more)", positiveInteger, 100)
    .option("--json", "print JSON (instants in UTC, full last error, the admin's override)")
    .action(async (options: QueueOptions, command: Command) => {
      await withStore(command, context, "read", async ({ deps, zone }) => {
        const entries = await listQueue(deps, { state: options.state, limit: options.limit });
        out(options.json ? renderJson(entries) : renderQueue(entries, zone));
      });
    });

  for (const parent of [program, queue]) {
    parent
      .command("retry")
      .description(describeCommand("retry"))
      .argument("[id]", "the entry id, as listed by timeclock queue --state refused")
      .option("--all-refused", "retry every refused entry")
      .action(async (id: string | undefined, options: { allRefused?: boolean }, command: Command) =>
        retry(id, options.allRefused ?? false, command),
      );
    parent
      .command("discard")
      .description(describeCommand("discard"))
      .argument("<id>", "the entry id, as listed by timeclock queue")
      .requiredOption("--reason <text>", "why it is not to be booked; kept in the admin record")
      .action(async (id: string, options: { reason: string }, command: Command) =>
        discard(id, options.reason, command),
      );
  }

  queue
    .command("edit")
    .description(
      "set the user, time type or project of an entry not yet booked; the choice is kept (retries book with it) and recorded, and a refused entry goes back in line",
    )
    .argument("<id>", "the entry id, as listed by timeclock queue")
    .option("--email <email>", "book it for this GoodTime login email")
    .option("--time-type <id>", "book it with this time type id")
    .option("--project <id>", "book it on this project id")
    .option("--no-project", "book it without a project")
    .action(async (id: string, options: EditOptions, command: Command) => {
      await withStore(command, context, "write", async ({ deps }) => {
        const result = await editEntry(deps, {
          id,
          ...(options.email !== undefined ? { email: options.email } : {}),
          ...(options.timeType !== undefined ? { timeTypeId: options.timeType } : {}),
          ...(options.project !== undefined
            ? { projectId: options.project === false ? null : options.project }
            : {}),
        });
        const { after } = result;
        out(
          `entry ${id} is ${result.state}, to be booked for ${after.email}, time type ${after.timeTypeId}, project ${after.projectId ?? "none"}\n`,
        );
        reportDaemon(context, result.daemon);
      });
    });
}
