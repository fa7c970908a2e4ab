import { statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { systemClock } from "../../core/clock.js";
import {
  backupFileName,
  installCopy,
  type RestoreResult,
  writeBackup,
} from "../../store/backup.js";
import { DATABASE_FILE, databasePath } from "../../store/database.js";
import { lockDataDir } from "../../store/lock.js";
import { type SalvageReport, salvage } from "../../store/salvage.js";
import { withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, commandLogger, loadConfigFor } from "../context.js";

/** backup, restore and recover: the journal's safety net, for admins (README, Backups and recovery). */

const counted = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([table, n]) => `${table} ${n < 0 ? "unreadable" : n}`)
    .join(", ");

function targetFile(to: string, now: Date): string {
  const path = resolve(to);
  try {
    if (statSync(path).isDirectory()) return join(path, backupFileName(now));
  } catch {
    return path;
  }
  return path;
}

function restoreReport(file: string, result: RestoreResult): string {
  const lines = [
    `restored ${file} as the terminal's database (schema version ${result.copyVersion}${result.copyVersion === result.version ? "" : `, migrated to ${result.version}`})`,
    `rows: ${counted(result.counts)}`,
    `entries: ${counted(result.entries)}`,
    `${result.markedAmbiguous} entr${result.markedAmbiguous === 1 ? "y" : "ies"} not booked in the copy will be looked up on GoodTime before they are sent, so none is booked twice`,
    result.keptAs
      ? `the database in use before is kept as ${result.keptAs} (with its -wal, if it had one)`
      : "there was no database in use before",
    "taps made after this copy was taken are not in it. Next: sudo systemctl start timeclock, then timeclock status",
  ];
  return `${lines.join("\n")}\n`;
}

function salvageReport(from: string, to: string, report: SalvageReport): string {
  const damaged = Object.entries(report.tables)
    .filter(([, table]) => table.damaged)
    .map(([name]) => name);
  const lines = [
    `salvaged ${from} into ${to} (schema version ${report.version}); ${from} is left as it was`,
    `rows saved: ${Object.entries(report.tables)
      .map(([name, table]) => `${name} ${table.saved}`)
      .join(", ")}`,
    damaged.length > 0
      ? `damaged pages cost rows of: ${damaged.join(", ")} (their number is unknown)`
      : "every table could be read to its end",
    ...(report.danglingReferences > 0
      ? [`${report.danglingReferences} saved rows refer to a tap that was lost; they are kept`]
      : []),
    ...report.problems.map((problem) => `problem: ${problem}`),
    `next: compare with the newest backup (a backup holds everything up to its time, the salvage what was readable), then install the better one with: timeclock restore ${to}`,
  ];
  return `${lines.join("\n")}\n`;
}

export function registerStorageCommands(program: Command, context: CliContext): void {
  program
    .command("backup")
    .description(describeCommand("backup"))
    .requiredOption(
      "--to <file>",
      "the copy to write; an existing directory gets timeclock-YYYYMMDD-HHMMSSZ.db",
    )
    .action(async (options: { to: string }, command: Command) => {
      await withStore(command, context, "read", async ({ deps }) => {
        const file = targetFile(options.to, deps.clock.now());
        const result = await writeBackup(deps.db, file);
        context.stdout.write(
          `backup written to ${result.file}: ${Math.ceil(result.bytes / 1024)} KiB, schema version ${result.version}; rows: ${counted(result.counts)}\n`,
        );
      });
    });

  program
    .command("restore")
    .description(describeCommand("restore"))
    .argument("<file>", "the backup to install")
    .action(async (file: string, _options, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const logger = commandLogger(context, loaded);
      const dataDir = loaded.config.terminal.dataDir;
      const lock = await lockDataDir(dataDir, "restore");
      try {
        const result = installCopy(
          dataDir,
          resolve(file),
          (context.clock ?? systemClock).now(),
          logger,
        );
        context.stdout.write(restoreReport(resolve(file), result));
      } finally {
        lock.release();
      }
    });

  program
    .command("recover")
    .description(describeCommand("recover"))
    .option("--from <file>", `the damaged database (default: ${DATABASE_FILE} in terminal.dataDir)`)
    .option(
      "--to <file>",
      "the new file (default: timeclock-recovered-YYYYMMDD-HHMMSSZ.db in terminal.dataDir)",
    )
    .action(async (options: { from?: string; to?: string }, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const logger = commandLogger(context, loaded);
      const dataDir = loaded.config.terminal.dataDir;
      const now = (context.clock ?? systemClock).now();
      const lock = await lockDataDir(dataDir, "recover");
      try {
        const from = resolve(options.from ?? databasePath(dataDir));
        const to = resolve(
          options.to ??
            join(dataDir, backupFileName(now).replace("timeclock-", "timeclock-recovered-")),
        );
        const report = salvage(from, to, logger);
        context.stdout.write(salvageReport(from, to, report));
      } finally {
        lock.release();
      }
    });
}
