import type { Command } from "commander";
import { assessStatus, readStatus, type StatusLevel, statusLevel } from "../../admin/index.js";
import { ExitCode, ExitStatus } from "../../core/exit-codes.js";
import type { TerminalDocument } from "../../terminal/status-documents.js";
import { withStore } from "../admin-session.js";
import type { CliContext } from "../context.js";
import { renderJson } from "../output.js";
import { consoleSummary, renderConsoleLines, renderStatus } from "../status-text.js";

const EXIT_BY_LEVEL: Record<StatusLevel, ExitCode> = {
  ok: ExitCode.ok,
  warning: ExitCode.warning,
  critical: ExitCode.critical,
};

/** Signal 0 checks that a process exists without touching it; EPERM means it exists as another user. */
function isRunning(terminal: TerminalDocument): boolean {
  try {
    process.kill(terminal.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command("status")
    .description(
      "show the terminal's health, most urgent first: daemon, reader, sync, entries per state, oldest unbooked entry, open shifts, reviews, unknown badges tapped since last listed, clock, and the web console's address and certificate fingerprint. Fits 80 columns. Exits 0 when nothing needs attention, 1 on a warning, 2 when something critical is wrong (for monitoring scripts)",
    )
    .option("--json", "print JSON (instants in UTC), with level ok, warning or critical")
    .action(async (options: { json?: boolean }, command: Command) => {
      const level = await withStore(command, context, "read", ({ deps }) => {
        const inputs = readStatus(deps, isRunning);
        const attention = assessStatus(inputs);
        const level = statusLevel(attention);
        const webConsole = consoleSummary(deps.config);
        context.stdout.write(
          options.json
            ? renderJson({ level, attention, ...inputs, console: webConsole })
            : renderStatus(inputs, attention) + renderConsoleLines(webConsole),
        );
        return level;
      });
      if (level !== "ok") throw new ExitStatus(EXIT_BY_LEVEL[level]);
    });
}
