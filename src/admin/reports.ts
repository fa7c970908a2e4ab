import { DateTime } from "luxon";
import type { EntryState, OutboxEntry } from "../store/outbox.js";
import { bookedView } from "./booked-view.js";
import { renderCsv } from "./csv.js";
import type { AdminDeps } from "./deps.js";
import { entriesOf } from "./entry-store-local.js";
import { AdminError } from "./errors.js";

/**
 * Hours per person per day, week or month, from the entries the taps were paired into: this
 * terminal's journal, or in site mode the site database with the shifts of every door.
 * A shift counts in full on the local day (week, month) it began; discarded entries do not count;
 * entries not yet booked in GoodTime count and are marked, so payroll sees what may still change;
 * a shift still open counts nothing yet and is marked on the day it began.
 */

export const REPORT_PERIODS = ["day", "week", "month"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

const UNBOOKED: readonly EntryState[] = ["held", "pending", "sending", "refused"];

export interface HoursCell {
  email: string;
  /** "2026-03-02", "2026-W10" or "2026-03". */
  period: string;
  minutes: number;
  entries: number;
  /** Entries counted here that GoodTime has not booked yet. */
  unbooked: number;
  /** A shift began in this period and is still open. */
  openShift: boolean;
  /** Entries counted here whose clock-in or clock-out was tapped by PIN (a forgotten badge). */
  byPin: number;
}

export interface HoursReport {
  /** First and last local day, inclusive, as given. */
  from: string;
  to: string;
  period: ReportPeriod;
  zone: string;
  /** Person by person (by email), periods in time order. */
  rows: HoursCell[];
  /** One line per person over the whole range. */
  totals: HoursCell[];
  /** Over everyone and the whole range. */
  total: HoursCell;
}

function periodOf(start: DateTime, period: ReportPeriod): string {
  if (period === "day") return start.toISODate() ?? "";
  if (period === "week") return start.toFormat("kkkk-'W'WW");
  return start.toFormat("yyyy-MM");
}

function localDay(text: string, zone: string, what: string): DateTime {
  const day = DateTime.fromISO(text, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !day.isValid) {
    throw new AdminError(
      "ADM_INVALID",
      `${what} ${JSON.stringify(text)} is not a date such as 2026-03-01`,
    );
  }
  return day.startOf("day");
}

function emptyCell(email: string, period: string): HoursCell {
  return { email, period, minutes: 0, entries: 0, unbooked: 0, openShift: false, byPin: 0 };
}

/** Hours count as GoodTime books them: the booked span, so that reports agree with the payroll. */
function add(cell: HoursCell, entry: OutboxEntry): void {
  cell.minutes += bookedView(entry).minutes;
  cell.entries += 1;
  if (UNBOOKED.includes(entry.state)) cell.unbooked += 1;
}

/** The report for the local days `from` to `to`, both included. */
export async function hoursReport(
  deps: AdminDeps,
  query: { from: string; to: string; period: ReportPeriod },
): Promise<HoursReport> {
  const zone = deps.config.terminal.timeZone;
  const first = localDay(query.from, zone, "from");
  const last = localDay(query.to, zone, "to");
  if (last < first) {
    throw new AdminError(
      "ADM_INVALID",
      `to ${query.to} is before from ${query.from}; give the earlier day first`,
    );
  }
  const end = last.plus({ days: 1 });
  const cells = new Map<string, HoursCell>();
  const cellFor = (email: string, start: Date) => {
    const period = periodOf(DateTime.fromJSDate(start, { zone }), query.period);
    const key = `${email}\u0000${period}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = emptyCell(email, period);
      cells.set(key, cell);
    }
    return cell;
  };
  const store = entriesOf(deps);
  const entries = await store.startingBetween(first.toJSDate(), end.toJSDate());
  const byPin = await store.tappedByPin(first.toJSDate(), end.toJSDate());
  for (const entry of entries) {
    if (entry.state === "discarded") continue;
    const cell = cellFor(entry.email, entry.start);
    add(cell, entry);
    if (byPin.has(entry.id)) cell.byPin += 1;
  }
  for (const shift of await store.openShifts()) {
    if (shift.start >= first.toJSDate() && shift.start < end.toJSDate()) {
      cellFor(shift.email, shift.start).openShift = true;
    }
  }
  const rows = [...cells.values()].sort(
    (a, b) => a.email.localeCompare(b.email) || a.period.localeCompare(b.period),
  );
  const totals = new Map<string, HoursCell>();
  const total = emptyCell("", "");
  for (const row of rows) {
    const sum = totals.get(row.email) ?? emptyCell(row.email, "");
    for (const target of [sum, total]) {
      target.minutes += row.minutes;
      target.entries += row.entries;
      target.unbooked += row.unbooked;
      target.byPin += row.byPin;
      target.openShift ||= row.openShift;
    }
    totals.set(row.email, sum);
  }
  return {
    from: query.from,
    to: query.to,
    period: query.period,
    zone,
    rows,
    totals: [...totals.values()],
    total,
  };
}

/** Hours with two decimals, as payroll sheets add them. */
export function decimalHours(minutes: number): string {
  return (Math.round(minutes) / 60).toFixed(2);
}

/** The report as CSV for payroll: one line per person and period, then each person's total. */
export function hoursReportCsv(report: HoursReport): string {
  const line = (cell: HoursCell, period: string) => [
    cell.email,
    period,
    decimalHours(cell.minutes),
    String(Math.round(cell.minutes)),
    String(cell.entries),
    String(cell.unbooked),
    cell.openShift ? "yes" : "no",
    String(cell.byPin),
  ];
  return renderCsv([
    [
      "person",
      report.period,
      "hours",
      "minutes",
      "entries",
      "not booked yet",
      "open shift",
      "by PIN",
    ],
    ...report.rows.map((row) => line(row, row.period)),
    ...report.totals.map((sum) => line(sum, `total ${report.from} to ${report.to}`)),
    line({ ...report.total, email: "all" }, `total ${report.from} to ${report.to}`),
  ]);
}
