import type { Command } from "commander";
import { assessStatus, readStatus, type StatusLevel, statusLevel } from "../../admin/index.js";
import { ExitCode, ExitStatus } from "../../core/exit-codes.js";
import { isDataDirLocked } from "../../store/lock.js";
import { withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { renderJson } from "../output.js";
import { consoleSummary, renderConsoleLines, renderStatus } from "../status-text.js";

const EXIT_BY_LEVEL: Record<StatusLevel, ExitCode> = {
  ok: ExitCode.ok,
  warning: ExitCode.warning,
  critical: ExitCode.critical,
};

export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command("status")
    .description(describeCommand("status"))
    .option("--json", "print JSON (instants in UTC), with level ok, warning or critical")
    .action(async (options: { json?: boolean }, command: Command) => {
      const level = await withStore(command, context, "read", async ({ deps }) => {
        // From the data directory's lock, not the published pid: after a SIGKILL or a power cut
        // that pid may belong to another process by now.
        const running = await isDataDirLocked(deps.config.terminal.dataDir);
        const inputs = readStatus(deps, () => running);
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
