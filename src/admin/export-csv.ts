import { DateTime } from "luxon";
import { describeRounding } from "../pairing/booked-span.js";
import type { OutboxEntry } from "../store/outbox.js";
import { badgeText } from "./badge-rules.js";
import { bookedView } from "./booked-view.js";
import { renderCsv } from "./csv.js";
import type { AdminTap } from "./entry-store.js";

/**
 * The payroll export: what the terminal recorded, readable without GoodTime. Each instant is given
 * twice, local (for people) and UTC (unambiguous in the repeated hour of a DST change). Every cell
 * goes through `renderCsv`, which keeps spreadsheets from running any of them as a formula.
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
  /** "pin" for a tap made by PIN on the kiosk (a forgotten badge), else "badge". */
  "source",
] as const;

/**
 * Entries as GoodTime books them (whole minutes, `entry.rounding` applied; `minutes` and `hours`
 * count that span), then the raw instants they were booked from, to the second, and the rounding.
 */
export const ENTRY_COLUMNS = [
  "entry_id",
  "user",
  "booked_start_local",
  "booked_end_local",
  "booked_start_utc",
  "booked_end_utc",
  "minutes",
  "hours",
  "raw_start_local",
  "raw_end_local",
  "raw_start_utc",
  "raw_end_utc",
  "rounding",
  "state",
  "server_id",
  "time_type_id",
  "project_id",
] as const;

function local(date: Date, zone: string, format = "yyyy-MM-dd HH:mm:ss"): string {
  return DateTime.fromJSDate(date, { zone }).toFormat(format);
}

/** A site tap is named by its door and the door's own number: "front/12". */
export function renderTapsCsv(taps: readonly AdminTap[], zone: string): string {
  return renderCsv([
    [...TAP_COLUMNS],
    ...taps.map((tap) => [
      tap.door === null ? String(tap.id) : `${tap.door}/${tap.id}`,
      local(tap.at, zone),
      tap.at.toISOString(),
      badgeText(tap),
      tap.email ?? "",
      tap.outcome,
      tap.reason ?? "",
      tap.clockSynced ? "yes" : "no",
      tap.entryId ?? "",
      tap.byPin ? "pin" : "badge",
    ]),
  ]);
}

export function renderEntriesCsv(entries: readonly OutboxEntry[], zone: string): string {
  return renderCsv([
    [...ENTRY_COLUMNS],
    ...entries.map((entry) => {
      const booked = bookedView(entry);
      return [
        entry.id,
        entry.email,
        local(booked.start, zone, "yyyy-MM-dd HH:mm"),
        local(booked.end, zone, "yyyy-MM-dd HH:mm"),
        booked.start.toISOString(),
        booked.end.toISOString(),
        String(booked.minutes),
        booked.hours,
        local(entry.start, zone),
        local(entry.end, zone),
        entry.start.toISOString(),
        entry.end.toISOString(),
        describeRounding(entry.rounding),
        entry.state,
        entry.serverId ?? "",
        entry.timeTypeId,
        entry.projectId ?? "",
      ];
    }),
  ]);
}
