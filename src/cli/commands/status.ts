import type { Command } from "commander";
import { withStore } from "../../admin/session.js";
import { assessStatus, renderStatus, type StatusInputs } from "../../admin/status.js";
import { openShifts } from "../../admin/store-reads.js";
import type { Db } from "../../store/database.js";
import { isDataDirLocked } from "../../store/lock.js";
import { Outbox } from "../../store/outbox.js";
import { ReviewList } from "../../store/reviews.js";
import { RuntimeStatus } from "../../store/runtime-status.js";
import type { CliContext } from "../context.js";
import { renderJson } from "../output.js";

/**
 * `running` comes from the data directory's lock (isDataDirLocked), not from the published pid:
 * after a SIGKILL or a power cut that pid may belong to another process by now.
 */
function readStatus(db: Db, now: Date, zone: string, running: boolean): StatusInputs {
  const published = new RuntimeStatus(db);
  const value = <T>(key: string): T | null => published.read<T>(key)?.value ?? null;
  const terminal = value<{ pid: number; startedAt: string; name: string }>("terminal");
  const outbox = new Outbox(db);
  return {
    now,
    zone,
    daemon: terminal ? { ...terminal, running } : null,
    reader: value("reader"),
    sync: value("sync"),
    clock: value("clock"),
    serverClock: value("server-clock"),
    entries: outbox.counts(),
    oldestUnbookedAt: outbox.oldestUnbookedCreatedAt(),
    lastBookedAt: outbox.lastBookedAt(),
    openShifts: openShifts(db),
    openReviews: new ReviewList(db).countOpen(),
    backup: value("backup"),
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
      await withStore(command, context, async ({ db, clock, zone, loaded }) => {
        const running = await isDataDirLocked(loaded.config.terminal.dataDir);
        const inputs = readStatus(db, clock.now(), zone, running);
        const attention = assessStatus(inputs);
        context.stdout.write(
          options.json ? renderJson({ attention, ...inputs }) : renderStatus(inputs, attention),
        );
      });
    });
}
