import type { Screen } from "./screen.js";

/**
 * One of every screen the door can show, with made-up people, for `timeclock display test`: the
 * technician sees each layout once on the glass, umlauts and accents included, without tapping.
 */
export interface SampleScreen {
  /** What the technician should see, in English (the screen itself speaks terminal.locale). */
  label: string;
  screen: Screen;
}

const MINUTE_MS = 60_000;

export function sampleScreens(now: Date): SampleScreen[] {
  const at = now.toISOString();
  const until = new Date(now.getTime() + 5 * MINUTE_MS).toISOString();
  return [
    {
      label: "idle: the time, the date, all shifts booked",
      screen: { kind: "idle", idle: { booking: { state: "booked" }, faults: [] } },
    },
    {
      label: "idle: reader and clock faults, 3 shifts stored while GoodTime is unreachable",
      screen: {
        kind: "idle",
        idle: { booking: { state: "offline", count: 3 }, faults: ["reader", "clock"] },
      },
    },
    {
      label: "clock-in of Jörg Müller-Çelik with today's and this week's hours",
      screen: {
        kind: "clock-in",
        name: "Jörg Müller-Çelik",
        at,
        todayMinutes: 125,
        weekMinutes: 1930,
        toReview: false,
      },
    },
    {
      label: "clock-out of Zoë Weiß: the shift, today and the week, stored for later booking",
      screen: {
        kind: "clock-out",
        name: "Zoë Weiß",
        at,
        shiftMinutes: 508,
        todayMinutes: 508,
        weekMinutes: 2443,
        stored: "network",
        breakStarted: false,
        toReview: false,
      },
    },
    {
      label: "too soon: the same badge tapped again at once",
      screen: { kind: "too-soon", name: "Anna Schmidt", at, minGapSeconds: 60 },
    },
    {
      label: "no open shift: an out key before a tap with no shift open",
      screen: { kind: "no-open-shift", name: "Anna Schmidt", at },
    },
    {
      label: "unknown badge: please see the office, with the badge's ID",
      screen: { kind: "unknown-badge", badge: "0F00A1B2C3", ambiguous: false, at },
    },
    {
      label: 'function key "break" chosen for the next tap',
      screen: { kind: "key", key: "break", until },
    },
    {
      label: "enrolment armed: hold the new badge to the reader",
      screen: { kind: "enrol-armed", until },
    },
    {
      label: "enrolment: the new badge was captured",
      screen: { kind: "enrol-captured", badge: "0F00A1B2C3" },
    },
  ];
}
