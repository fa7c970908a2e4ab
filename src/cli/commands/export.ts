import { type Command, Option } from "commander";
import { DateTime } from "luxon";
import { EXPORT_TABLES, type ExportTables, exportRecords } from "../../admin/index.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { writeExportFile } from "../output-file.js";
import { parseDateOption } from "./server.js";

interface ExportOptions {
  from: string;
  to: string;
  out?: string;
  what: ExportTables;
}

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

/** A date alone as --to means through that whole day, as payroll periods are written. */
function exportRange(fromText: string, toText: string, zone: string): [Date, Date] {
  const from = parseDateOption("--from", fromText, zone);
  const toInstant = parseDateOption("--to", toText, zone);
  const to = DATE_ONLY.test(toText)
    ? DateTime.fromJSDate(toInstant, { zone }).plus({ days: 1 }).toJSDate()
    : toInstant;
  if (to <= from) {
    throw new CommandError(
      `--to ${JSON.stringify(toText)} is not after --from ${JSON.stringify(fromText)}; give a range that ends after it starts`,
      ExitCode.usage,
    );
  }
  return [from, to];
}

export function registerExportCommand(program: Command, context: CliContext): void {
  program
    .command("export")
    .description(describeCommand("export"))
    .requiredOption(
      "--from <date>",
      "first day or instant, e.g. 2026-03-01 or 2026-03-01T06:00 (local unless it carries an offset)",
    )
    .requiredOption(
      "--to <date>",
      "last day, inclusive (e.g. 2026-03-31 covers all of the 31st), or an exclusive end instant such as 2026-03-31T18:00",
    )
    .addOption(
      new Option("--what <what>", "which tables: taps, entries or both")
        .choices(EXPORT_TABLES)
        .default("both"),
    )
    .option("--out <file>", "write to this file (created with mode 600) instead of stdout")
    .action(async (options: ExportOptions, command: Command) => {
      await withStore(command, context, "read", async ({ deps, zone }) => {
        const [from, to] = exportRange(options.from, options.to, zone);
        const csv = await exportRecords(deps, { from, to, tables: options.what });
        if (options.out === undefined) context.stdout.write(csv);
        else writeExportFile(options.out, csv);
      });
    });
}
