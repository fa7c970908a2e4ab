import { type Command, InvalidArgumentError, Option } from "commander";
import { DateTime } from "luxon";
import { bookedView } from "../../admin/booked-view.js";
import { withStore } from "../../admin/session.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { AdminEventLog } from "../../store/admin-events.js";
import { ENTRY_STATES, type EntryState, Outbox, type OutboxEntry } from "../../store/outbox.js";
import type { CliContext } from "../context.js";
import { renderJson, renderTable } from "../output.js";

/** States an admin still has to care about; the default of `timeclock queue`. */
const UNFINISHED: readonly EntryState[] = ["held", "pending", "sending", "refused"];

const LAST_ERROR_WIDTH = 60;

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

function shorten(text: string | null): string | null {
  if (text === null || text.length <= LAST_ERROR_WIDTH) return text;
  return `${text.slice(0, LAST_ERROR_WIDTH - 1)}…`;
}

function entryRow(entry: OutboxEntry, zone: string) {
  const booked = bookedView(entry);
  return {
    id: entry.id,
    user: entry.email,
    shift: localSpan(booked.start, booked.end, zone),
    hours: booked.hours,
    state: entry.state,
    attempts: entry.attempts,
    lastError: shorten(entry.lastError),
  };
}

function entryOrRefuse(outbox: Outbox, id: string): OutboxEntry {
  const entry = outbox.get(id);
  if (!entry) {
    throw new CommandError(
      `entry ${JSON.stringify(id)} does not exist; list entries with timeclock queue --state all`,
      ExitCode.refused,
    );
  }
  return entry;
}

/** Why an entry in this state cannot be discarded, and what to do instead. */
function whyNotDiscardable(entry: OutboxEntry): string {
  switch (entry.state) {
    case "booked":
      return `it is already booked in GoodTime as ${entry.serverId ?? "an unknown id"}; delete it there with timeclock server delete ${entry.serverId ?? "ID"}`;
    case "sending":
      return "a request for it is on its way to GoodTime right now; wait for the answer (timeclock queue) and try again";
    default:
      return "it is already discarded";
  }
}

interface QueueOptions {
  state: EntryState | "all" | "unfinished";
  json?: boolean;
  limit: number;
}

export function registerQueueCommands(program: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);

  program
    .command("queue")
    .description(
      "list the outbox: entries with id, user, local shift, state, attempts and last error, oldest shift first",
    )
    .addOption(
      new Option(
        "--state <state>",
        "only entries in this state; unfinished = held, pending, sending and refused",
      )
        .choices([...ENTRY_STATES, "unfinished", "all"])
        .default("unfinished"),
    )
    .option("--limit <n>", "show at most this many entries (1 or more)", positiveInteger, 100)
    .option("--json", "print JSON (instants in UTC, full last error)")
    .action(async (options: QueueOptions, command: Command) => {
      await withStore(command, context, ({ db, zone }) => {
        const outbox = new Outbox(db);
        const states = options.state === "unfinished" ? UNFINISHED : [options.state];
        const entries =
          options.state === "all"
            ? outbox.list(undefined, options.limit)
            : states
                .flatMap((state) => outbox.list(state as EntryState, options.limit))
                .sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id))
                .slice(0, options.limit);
        if (options.json) {
          out(renderJson(entries.map((entry) => ({ ...entry, booked: bookedView(entry) }))));
          return;
        }
        out(renderTable(entries.map((entry) => entryRow(entry, zone))));
        if (entries.length > 0) out(`(shifts as booked in GoodTime, times in ${zone})\n`);
      });
    });

  program
    .command("retry")
    .description(
      "put entries that GoodTime refused back in line to be booked again (after fixing the cause, e.g. the badge's time type)",
    )
    .argument("[id]", "the entry id, as listed by timeclock queue --state refused")
    .option("--all-refused", "retry every refused entry")
    .action(async (id: string | undefined, options: { allRefused?: boolean }, command: Command) => {
      if ((id === undefined) === !options.allRefused) {
        throw new CommandError(
          "name one entry id or give --all-refused (not both); see timeclock queue --state refused",
          ExitCode.usage,
        );
      }
      await withStore(command, context, ({ db, clock }) => {
        const outbox = new Outbox(db);
        const events = new AdminEventLog(db);
        const now = clock.now();
        const retried = db
          .transaction(() => {
            if (id !== undefined) {
              const entry = entryOrRefuse(outbox, id);
              if (entry.state !== "refused") {
                throw new CommandError(
                  `entry ${JSON.stringify(id)} is ${entry.state}, not refused; only refused entries can be retried`,
                  ExitCode.refused,
                );
              }
            }
            const ids = id !== undefined ? [id] : outbox.list("refused").map((entry) => entry.id);
            const count = outbox.retry(ids, now);
            for (const retriedId of ids) events.append("entry.retry", retriedId, null, now);
            return count;
          })
          .immediate();
        out(`${retried} ${retried === 1 ? "entry" : "entries"} put back in line to be booked\n`);
      });
    });

  program
    .command("discard")
    .description(
      "give up on booking an entry (held, pending or refused); it stays in the outbox as discarded and the reason is recorded",
    )
    .argument("<id>", "the entry id, as listed by timeclock queue")
    .requiredOption("--reason <text>", "why it is not to be booked; kept in the admin record")
    .action(async (id: string, options: { reason: string }, command: Command) => {
      const reason = options.reason.trim();
      if (reason === "") {
        throw new CommandError(
          "--reason is empty; say why the entry is not to be booked",
          ExitCode.usage,
        );
      }
      await withStore(command, context, ({ db, clock }) => {
        const outbox = new Outbox(db);
        const events = new AdminEventLog(db);
        const now = clock.now();
        const entry = entryOrRefuse(outbox, id);
        const discarded = db
          .transaction(() => {
            if (!outbox.discard(id, now)) return false;
            events.append("entry.discard", id, { reason, previousState: entry.state }, now);
            return true;
          })
          .immediate();
        if (!discarded) {
          const current = outbox.get(id) ?? entry;
          throw new CommandError(
            `entry ${JSON.stringify(id)} is ${current.state} and cannot be discarded: ${whyNotDiscardable(current)}`,
            ExitCode.refused,
          );
        }
        out(`discarded entry ${id} (${entry.email}); reason recorded\n`);
      });
    });
}
