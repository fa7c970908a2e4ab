import { DateTime } from "luxon";

/** A local time for people, with its offset so that the repeated hour of a DST change is clear. */
export function localTime(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");
}

/** A duration for people: "3 d 4 h", "2 h 5 min", "40 s"; `dayUnit` is the language's "d". */
export function ageText(ms: number, dayUnit = "d"): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} ${dayUnit} ${hours % 24} h`;
}
