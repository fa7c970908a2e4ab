import { bookedSpan, spanMinutes } from "../pairing/booked-span.js";
import type { OutboxEntry } from "../store/outbox.js";
import { localTime } from "./format.js";

/**
 * An entry as GoodTime books it, for every place an admin reads it (queue, export, review): the
 * span from `bookedSpan`, never the raw instants, so that hours agree with what was booked.
 */
export interface BookedView {
  start: Date;
  end: Date;
  minutes: number;
  /** Hours with two decimals, as payroll sheets write them. */
  hours: string;
}

export function bookedView(entry: Pick<OutboxEntry, "start" | "end" | "rounding">): BookedView {
  const span = bookedSpan(entry, entry.rounding);
  const minutes = spanMinutes(span);
  return { ...span, minutes, hours: (minutes / 60).toFixed(2) };
}

/** "2026-03-10 08:00 +01:00 to 2026-03-10 16:30 +01:00 (8.50 h as booked)". */
export function bookedText(
  entry: Pick<OutboxEntry, "start" | "end" | "rounding">,
  zone: string,
): string {
  const view = bookedView(entry);
  return `${localTime(view.start, zone)} to ${localTime(view.end, zone)} (${view.hours} h as booked)`;
}
