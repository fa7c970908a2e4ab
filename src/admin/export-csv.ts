import { DateTime } from "luxon";
import type { OutboxEntry } from "../store/outbox.js";
import type { TapView } from "../store/reports.js";
import { badgeText } from "./badge-rules.js";
import { renderCsv } from "./csv.js";

/**
 * The payroll export: what the terminal recorded, readable without GoodTime. Each instant is given
 * twice, local (for people) and UTC (unambiguous in the repeated hour of a DST change).
 */

export const TAP_COLUMNS = [
  "tap_id",
  "local_time",
  "utc_time",
  "badge",
  "user",
  "outcome",
  "reason",
  "clock_synced",
  "entry_id",
] as const;

export const ENTRY_COLUMNS = [
  "entry_id",
  "user",
  "start_local",
  "end_local",
  "start_utc",
  "end_utc",
  "hours",
  "state",
  "server_id",
  "time_type_id",
  "project_id",
] as const;

function local(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd HH:mm:ss");
}

export function renderTapsCsv(taps: readonly TapView[], zone: string): string {
  return renderCsv([
    [...TAP_COLUMNS],
    ...taps.map((tap) => [
      String(tap.id),
      local(tap.at, zone),
      tap.at.toISOString(),
      badgeText(tap),
      tap.email ?? "",
      tap.outcome,
      tap.reason ?? "",
      tap.clockSynced ? "yes" : "no",
      tap.entryId ?? "",
    ]),
  ]);
}

export function renderEntriesCsv(entries: readonly OutboxEntry[], zone: string): string {
  return renderCsv([
    [...ENTRY_COLUMNS],
    ...entries.map((entry) => [
      entry.id,
      entry.email,
      local(entry.start, zone),
      local(entry.end, zone),
      entry.start.toISOString(),
      entry.end.toISOString(),
      ((entry.end.getTime() - entry.start.getTime()) / 3_600_000).toFixed(2),
      entry.state,
      entry.serverId ?? "",
      entry.timeTypeId,
      entry.projectId ?? "",
    ]),
  ]);
}
