import { describe, expect, it } from "vitest";
import {
  candidateSlots,
  DAYS_BACK,
  freeSlot,
  isLocalFormat,
  type Slot,
} from "../../src/doctor/write-test.js";
import type { TimeEntry } from "../../src/goodtime/client.js";

const iso = (slot: Slot | undefined) => slot && [slot.start.toISOString(), slot.end.toISOString()];

function entry(start: string, end: string): TimeEntry {
  return {
    id: `${start}/${end}`,
    start: new Date(start),
    end: new Date(end),
    userEmail: "admin@gtsandbox.en",
    timeTypeId: "t",
    projectId: null,
  };
}

describe("candidateSlots", () => {
  it("starts at 03:00 local time, DAYS_BACK days ago, in 5-minute steps", () => {
    const slots = candidateSlots(new Date("2026-11-27T10:00:00Z"), "Europe/Berlin");
    expect(DAYS_BACK).toBeGreaterThanOrEqual(30);
    expect(iso(slots[0])).toEqual(["2026-10-23T01:00:00.000Z", "2026-10-23T01:05:00.000Z"]);
    expect(iso(slots[1])).toEqual(["2026-10-23T01:05:00.000Z", "2026-10-23T01:10:00.000Z"]);
    expect(iso(slots[24])).toEqual(["2026-10-22T01:00:00.000Z", "2026-10-22T01:05:00.000Z"]);
    expect(slots).toHaveLength(7 * 24);
  });

  it.each([
    // 35 days before 2026-11-29 is 2026-10-25, when Berlin falls back at 03:00 CEST to 02:00 CET.
    ["2026-11-29T10:00:00Z", "Europe/Berlin", "2026-10-25T02:00:00.000Z"],
    ["2026-11-27T10:00:00Z", "America/New_York", "2026-10-23T07:00:00.000Z"],
    ["2026-05-01T20:00:00Z", "Pacific/Auckland", "2026-03-27T14:00:00.000Z"],
  ])("puts 03:00 in the site's zone: now %s in %s", (now, zone, first) => {
    const [slot] = candidateSlots(new Date(now), zone);
    expect(slot?.start.toISOString()).toBe(first);
    expect((slot?.end.getTime() ?? 0) - (slot?.start.getTime() ?? 0)).toBe(5 * 60_000);
  });
});

describe("freeSlot", () => {
  const slots = candidateSlots(new Date("2026-11-27T10:00:00Z"), "UTC");
  it.each([
    ["no entries", [], "2026-10-23T03:00:00.000Z"],
    [
      "an entry that ends where the first slot starts",
      [entry("2026-10-23T02:00:00Z", "2026-10-23T03:00:00Z")],
      "2026-10-23T03:00:00.000Z",
    ],
    [
      "an entry that starts where the first slot ends",
      [entry("2026-10-23T03:05:00Z", "2026-10-23T04:00:00Z")],
      "2026-10-23T03:00:00.000Z",
    ],
    [
      "an entry over the first slot",
      [entry("2026-10-23T02:59:00Z", "2026-10-23T03:01:00Z")],
      "2026-10-23T03:05:00.000Z",
    ],
    [
      "a night shift over the whole first day's window",
      [entry("2026-10-22T22:00:00Z", "2026-10-23T06:00:00Z")],
      "2026-10-22T03:00:00.000Z",
    ],
  ])("with %s", (_what, entries: TimeEntry[], start) => {
    expect(freeSlot(slots, entries)?.start.toISOString()).toBe(start);
  });

  it("finds none when every candidate is taken", () => {
    expect(
      freeSlot(slots, [entry("2026-10-01T00:00:00Z", "2026-10-24T00:00:00Z")]),
    ).toBeUndefined();
  });
});

describe("isLocalFormat", () => {
  it.each([
    ["iso-offset", false],
    ["epoch-ms", false],
    ["iso-local", true],
    ["yyyy-MM-dd HH:mm", true],
    ["dd.MM.yyyy HH:mm 'Uhr'", true],
    ["yyyy-MM-dd'T'HH:mm:ssZZ", false],
    ["yyyy-MM-dd HH:mm z", false],
    ["x", false],
    ["yyyy-MM-dd'Z'HH:mm", true],
  ])("%s: %s", (format, local) => {
    expect(isLocalFormat(format)).toBe(local);
  });
});
