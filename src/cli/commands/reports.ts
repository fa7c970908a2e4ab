import { type Command, Option } from "commander";
import { DateTime } from "luxon";
import {
  decimalHours,
  type HoursCell,
  type HoursReport,
  hoursReport,
  hoursReportCsv,
  REPORT_PERIODS,
  type ReportPeriod,
} from "../../admin/index.js";
import { withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { renderJson, renderTable } from "../output.js";
import { writeExportFile } from "../output-file.js";

interface ReportsOptions {
  from?: string;
  to?: string;
  period: ReportPeriod;
  csv?: boolean;
  json?: boolean;
  out?: string;
}

function marks(cell: HoursCell): string {
  const said = [
    cell.unbooked > 0 ? `${cell.unbooked} not booked yet` : "",
    cell.openShift ? "open shift" : "",
    cell.byPin > 0 ? `${cell.byPin} by PIN` : "",
  ];
  return said.filter((text) => text !== "").join(", ");
}

/** Person by person, each period then the person's total, then everyone's. */
function renderReport(report: HoursReport): string {
  const line = (cell: HoursCell, period: string) => ({
    person: cell.email,
    [report.period]: period,
    hours: decimalHours(cell.minutes),
    entries: cell.entries,
    marks: marks(cell),
  });
  const rows = report.totals.flatMap((sum) => [
    ...report.rows.filter((row) => row.email === sum.email).map((row) => line(row, row.period)),
    line(sum, "total"),
  ]);
  if (rows.length === 0) return `no shifts from ${report.from} to ${report.to}\n`;
  return `${renderTable(
    [...rows, line({ ...report.total, email: "all" }, "total")],
    ["person", report.period, "hours", "entries", "marks"],
  )}(hours as booked in GoodTime, each shift on the local day it began, ${report.from} to ${report.to}, ${report.zone})\n`;
}

export function registerReportsCommand(program: Command, context: CliContext): void {
  program
    .command("reports")
    .description(describeCommand("reports"))
    .option("--from <date>", "first local day, e.g. 2026-03-01 (default: the first of this month)")
    .option("--to <date>", "last local day, inclusive (default: today)")
    .addOption(
      new Option("--period <period>", "one line per person and day, week or month")
        .choices(REPORT_PERIODS)
        .default("day"),
    )
    .option("--csv", "the CSV for payroll instead of the table")
    .addOption(new Option("--json", "the report as JSON").conflicts("csv"))
    .option("--out <file>", "write to this file (created with mode 600) instead of stdout")
    .action(async (options: ReportsOptions, command: Command) => {
      await withStore(command, context, "read", async ({ deps, zone }) => {
        const today = DateTime.fromJSDate(deps.clock.now(), { zone });
        const report = await hoursReport(deps, {
          from: options.from ?? today.startOf("month").toISODate() ?? "",
          to: options.to ?? today.toISODate() ?? "",
          period: options.period,
        });
        const text = options.csv
          ? hoursReportCsv(report)
          : options.json
            ? renderJson(report)
            : renderReport(report);
        if (options.out === undefined) context.stdout.write(text);
        else writeExportFile(options.out, text);
      });
    });
}
