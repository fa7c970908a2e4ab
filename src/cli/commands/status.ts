import type { Command } from "commander";
import { withStore } from "../../admin/session.js";
import { assessStatus, renderStatus, type StatusInputs } from "../../admin/status.js";
import { openShifts } from "../../admin/store-reads.js";
import type { Db } from "../../store/database.js";
import { Outbox } from "../../store/outbox.js";
import { ReviewList } from "../../store/reviews.js";
import { RuntimeStatus } from "../../store/runtime-status.js";
import type { CliContext } from "../context.js";
import { renderJson } from "../output.js";

/** Signal 0 checks that a process exists without touching it; EPERM means it exists as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readStatus(db: Db, now: Date, zone: string): StatusInputs {
  const published = new RuntimeStatus(db);
  const value = <T>(key: string): T | null => published.read<T>(key)?.value ?? null;
  const terminal = value<{ pid: number; startedAt: string; name: string }>("terminal");
  const outbox = new Outbox(db);
  return {
    now,
    zone,
    daemon: terminal ? { ...terminal, running: isRunning(terminal.pid) } : null,
    reader: value("reader"),
    sync: value("sync"),
    clock: value("clock"),
    serverClock: value("server-clock"),
    entries: outbox.counts(),
    oldestUnbookedAt: outbox.oldestUnbookedCreatedAt(),
    lastBookedAt: outbox.lastBookedAt(),
    openShifts: openShifts(db),
    openReviews: new ReviewList(db).countOpen(),
  };
}

export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command("status")
    .description(
      "show the terminal's health, most urgent first: daemon, reader, sync, entries per state, oldest unbooked entry, open shifts, reviews, clock; exits 0 whatever it finds",
    )
    .option("--json", "print JSON (instants in UTC)")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, context, ({ db, clock, zone }) => {
        const inputs = readStatus(db, clock.now(), zone);
        const attention = assessStatus(inputs);
        context.stdout.write(
          options.json ? renderJson({ attention, ...inputs }) : renderStatus(inputs, attention),
        );
      });
    });
}
