import { DateTime } from "luxon";
import { bookedSpan, type RoundingPolicy, spanMinutes } from "../pairing/booked-span.js";
import type { PersonEntry } from "../store/door.js";

/**
 * A person's hours as the screen at the door shows them, counted exactly as the hours report
 * (src/admin/reports.ts) and GoodTime count them: each shift by its booked span (whole minutes,
 * the rounding kept with the entry), in full on the local day and ISO week it began, discarded
 * entries left out. An open shift counts as what would be booked if it ended now, under today's
 * rounding policy.
 */

export interface PersonHours {
  todayMinutes: number;
  weekMinutes: number;
}

export interface HoursWindow {
  weekStart: Date;
  dayStart: Date;
  dayEnd: Date;
  weekEnd: Date;
}

/** Today and this ISO week (Monday to Sunday) around `now`, in the site's zone. */
export function hoursWindow(now: Date, zone: string): HoursWindow {
  const local = DateTime.fromJSDate(now, { zone });
  const day = local.startOf("day");
  const week = local.startOf("week");
  return {
    weekStart: week.toJSDate(),
    weekEnd: week.plus({ weeks: 1 }).toJSDate(),
    dayStart: day.toJSDate(),
    dayEnd: day.plus({ days: 1 }).toJSDate(),
  };
}

/** Minutes of one entry as booked. */
export function entryMinutes(entry: Pick<PersonEntry, "start" | "end" | "rounding">): number {
  return spanMinutes(bookedSpan(entry, entry.rounding));
}

export function personHours(
  entries: readonly PersonEntry[],
  openStart: Date | null,
  policy: RoundingPolicy | null,
  now: Date,
  zone: string,
): PersonHours {
  const window = hoursWindow(now, zone);
  const counted: { start: Date; minutes: number }[] = entries
    .filter((entry) => entry.state !== "discarded")
    .map((entry) => ({ start: entry.start, minutes: entryMinutes(entry) }));
  if (openStart && openStart <= now) {
    counted.push({
      start: openStart,
      minutes: spanMinutes(bookedSpan({ start: openStart, end: now }, policy)),
    });
  }
  const within = (from: Date, to: Date) =>
    counted
      .filter((shift) => shift.start >= from && shift.start < to)
      .reduce((sum, shift) => sum + shift.minutes, 0);
  return {
    todayMinutes: within(window.dayStart, window.dayEnd),
    weekMinutes: within(window.weekStart, window.weekEnd),
  };
}

/** "8:05", "40:30", "0:01": hours and minutes as people read a time sheet. */
export function hoursText(minutes: number): string {
  const whole = Math.max(0, Math.round(minutes));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
