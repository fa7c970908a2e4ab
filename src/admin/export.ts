import { Outbox } from "../store/outbox.js";
import { tapsBetween } from "../store/reports.js";
import type { AdminDeps } from "./deps.js";
import { AdminError } from "./errors.js";
import { renderEntriesCsv, renderTapsCsv } from "./export-csv.js";

export const EXPORT_TABLES = ["both", "taps", "entries"] as const;
export type ExportTables = (typeof EXPORT_TABLES)[number];

/**
 * What the terminal recorded in [from, to) as CSV, for payroll when GoodTime cannot be reached:
 * the taps table, the entries table, or both one after the other with an empty line between.
 */
export function exportRecords(
  deps: AdminDeps,
  query: { from: Date; to: Date; tables: ExportTables },
): string {
  if (query.to <= query.from) {
    throw new AdminError(
      "ADM_INVALID",
      `the range ends (${query.to.toISOString()}) before it starts (${query.from.toISOString()}); give a range that ends after it starts`,
    );
  }
  const zone = deps.config.terminal.timeZone;
  const sections: string[] = [];
  if (query.tables !== "entries") {
    sections.push(renderTapsCsv(tapsBetween(deps.db, query.from, query.to), zone));
  }
  if (query.tables !== "taps") {
    sections.push(
      renderEntriesCsv(new Outbox(deps.db).listStartingBetween(query.from, query.to), zone),
    );
  }
  return sections.join("\r\n");
}
