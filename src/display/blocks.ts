import { drawableText } from "./font.js";
import { hoursText } from "./hours.js";
import type { Screen } from "./screen.js";
import type { DoorWords } from "./words.js";

/**
 * A screen in the short words of a small display, as blocks from the most to the least important:
 * the LCD shows them a line each, page by page; the OLED draws titles large. Every text is
 * already in characters the 5x7 font can draw (names with accents composed or spelled closest).
 */
export type Block =
  /** The time of day on the idle screen, with the date beside or below it. */
  | { kind: "clock"; text: string; side: string }
  /** What happened (IN, OUT, too soon), with the tap's time beside it. */
  | { kind: "title"; text: string; side: string }
  | { kind: "line"; text: string }
  | { kind: "pair"; label: string; value: string };

export function screenBlocks(screen: Screen, words: DoorWords, now: Date): Block[] {
  const t = words.t;
  const line = (text: string): Block => ({ kind: "line", text: drawableText(text) });
  const pair = (label: string, value: string): Block => ({
    kind: "pair",
    label: drawableText(label),
    value: drawableText(value),
  });
  const title = (text: string, side = ""): Block => ({
    kind: "title",
    text: drawableText(text),
    side: drawableText(side),
  });
  const hours = (minutes: number) => t.hoursShort(hoursText(minutes));
  switch (screen.kind) {
    case "idle": {
      const { booking, faults } = screen.idle;
      // "Tap your badge" beside a reader that does not work would send people to a dead reader.
      const prompt = faults.includes("reader") ? [] : [line(t.idle.short)];
      return [
        { kind: "clock", text: words.time(now), side: drawableText(words.dateShort(now)) },
        ...faults.map((fault) => line(words.fault(fault, true))),
        ...(booking.state === "booked" ? [] : [line(words.booking(booking, true))]),
        ...prompt,
      ];
    }
    case "clock-in":
      return [
        title(t.clockInShort, words.time(screen.at)),
        line(screen.name),
        ...(screen.toReview ? [line(t.toReviewShort)] : []),
        pair(t.todayShort, hours(screen.todayMinutes)),
        pair(t.weekShort, hours(screen.weekMinutes)),
      ];
    case "clock-out": {
      const notes = [
        ...(screen.stored ? [line(t.storedShort)] : []),
        ...(screen.breakStarted ? [line(t.breakStartedShort)] : []),
      ];
      // On a small display "today" is left out when it is this shift, the usual day.
      const today =
        screen.todayMinutes === screen.shiftMinutes
          ? []
          : [pair(t.todayShort, hours(screen.todayMinutes))];
      return [
        title(t.clockOutShort, words.time(screen.at)),
        line(screen.name),
        screen.shiftMinutes === null
          ? line(t.toReviewShort)
          : pair(t.shiftShort, hours(screen.shiftMinutes)),
        ...today,
        pair(t.weekShort, hours(screen.weekMinutes)),
        ...notes,
      ];
    }
    case "too-soon":
      return [title(t.tooSoon, words.time(screen.at)), line(screen.name), line(t.tooSoonShort)];
    case "no-open-shift":
      return [title(t.noOpenShiftShort), line(screen.name), line(t.seeOfficeShort)];
    case "unknown-badge":
      return [
        title(screen.ambiguous ? t.ambiguousBadgeShort : t.unknownBadgeShort),
        line(t.badgeId(screen.badge)),
        line(t.seeOfficeShort),
      ];
    case "key":
      return [line(t.keys.nextShort(words.key(screen.key))), line(t.keys.promptShort)];
    case "enrol-armed":
      return [title(t.enrol.armedShort), line(t.keys.promptShort)];
    case "enrol-captured":
      return [title(t.enrol.capturedShort), line(t.badgeId(screen.badge))];
  }
}

/** Cut to `columns` characters and padded to them. */
export function fitLine(text: string, columns: number): string {
  return [...text].slice(0, columns).join("").padEnd(columns, " ");
}

/** A label and a value at the right margin; the label gives way when both do not fit. */
export function pairLine(label: string, value: string, columns: number): string {
  const room = columns - [...value].length - 1;
  if (room <= 0) return fitLine(value, columns);
  const shown = [...label].slice(0, room).join("");
  return fitLine(
    `${shown}${" ".repeat(columns - [...shown].length - [...value].length)}${value}`,
    columns,
  );
}
