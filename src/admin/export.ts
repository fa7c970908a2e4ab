import type { AdminDeps } from "./deps.js";
import { entriesOf } from "./entry-store-local.js";
import { AdminError } from "./errors.js";
import { renderEntriesCsv, renderTapsCsv } from "./export-csv.js";

export const EXPORT_TABLES = ["both", "taps", "entries"] as const;
export type ExportTables = (typeof EXPORT_TABLES)[number];

/**
 * What the terminal (in site mode: every door of the site) recorded in [from, to) as CSV, for payroll when GoodTime cannot be reached:
 * the taps table, the entries table, or both one after the other with an empty line between.
 */
export async function exportRecords(
  deps: AdminDeps,
  query: { from: Date; to: Date; tables: ExportTables },
): Promise<string> {
  if (query.to <= query.from) {
    throw new AdminError(
      "ADM_INVALID",
      `the range ends (${query.to.toISOString()}) before it starts (${query.from.toISOString()}); give a range that ends after it starts`,
    );
  }
  const zone = deps.config.terminal.timeZone;
  const store = entriesOf(deps);
  const sections: string[] = [];
  if (query.tables !== "entries") {
    sections.push(renderTapsCsv(await store.tapsBetween(query.from, query.to), zone));
  }
  if (query.tables !== "taps") {
    sections.push(renderEntriesCsv(await store.startingBetween(query.from, query.to), zone));
  }
  return sections.join("\r\n");
}
