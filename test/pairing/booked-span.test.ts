import { describe, expect, it } from "vitest";
import {
  bookedSpan,
  describeRounding,
  parseRounding,
  type RoundingPolicy,
  type RoundingRule,
  roundingPolicy,
  serialiseRounding,
  spanMinutes,
} from "../../src/pairing/booked-span.js";

const BERLIN = "Europe/Berlin";

function rule(stepMinutes: number, direction: RoundingRule["direction"]): RoundingRule {
  return { stepMinutes, direction };
}

function policy(
  start: RoundingRule | null,
  end: RoundingRule | null,
  zone = BERLIN,
): RoundingPolicy {
  return { start, end, zone };
}

function booked(start: string, end: string, rounding: RoundingPolicy | null): string[] {
  const span = bookedSpan({ start: new Date(start), end: new Date(end) }, rounding);
  return [span.start.toISOString(), span.end.toISOString()];
}

describe("bookedSpan without a rounding policy", () => {
  it.each([
    {
      name: "a pair within one minute is that minute",
      raw: ["2026-03-10T12:43:05Z", "2026-03-10T12:43:50Z"],
      span: ["2026-03-10T12:43:00.000Z", "2026-03-10T12:44:00.000Z"],
    },
    {
      name: "the same instant twice is that minute",
      raw: ["2026-03-10T12:43:05Z", "2026-03-10T12:43:05Z"],
      span: ["2026-03-10T12:43:00.000Z", "2026-03-10T12:44:00.000Z"],
    },
    {
      name: "seconds are dropped on both ends",
      raw: ["2026-03-10T07:00:59Z", "2026-03-10T07:01:02Z"],
      span: ["2026-03-10T07:00:00.000Z", "2026-03-10T07:01:00.000Z"],
    },
    {
      name: "a shift over midnight keeps its days",
      raw: ["2026-03-10T21:30:20Z", "2026-03-11T05:29:59Z"],
      span: ["2026-03-10T21:30:00.000Z", "2026-03-11T05:29:00.000Z"],
    },
    {
      name: "a pair in the last minute before midnight ends at midnight",
      raw: ["2026-03-10T22:59:10Z", "2026-03-10T22:59:40Z"],
      span: ["2026-03-10T22:59:00.000Z", "2026-03-10T23:00:00.000Z"],
    },
    {
      name: "an end before the start (never paired so, but typed by mistake) is one minute",
      raw: ["2026-03-10T08:00:00Z", "2026-03-10T07:00:00Z"],
      span: ["2026-03-10T08:00:00.000Z", "2026-03-10T08:01:00.000Z"],
    },
  ])("$name", ({ raw, span }) => {
    expect(booked(raw[0] as string, raw[1] as string, null)).toEqual(span);
  });
});

describe("bookedSpan with entry.rounding", () => {
  const quarterOut = policy(rule(15, "up"), rule(15, "down"));
  const nearest15 = policy(rule(15, "nearest"), rule(15, "nearest"));
  it.each([
    {
      name: "start up, end down to 15 minutes",
      rounding: quarterOut,
      raw: ["2026-03-10T06:52:30Z", "2026-03-10T15:07:45Z"],
      span: ["2026-03-10T07:00:00.000Z", "2026-03-10T15:00:00.000Z"],
    },
    {
      name: "on a grid line nothing moves, whatever the direction",
      rounding: quarterOut,
      raw: ["2026-03-10T07:00:40Z", "2026-03-10T15:15:10Z"],
      span: ["2026-03-10T07:00:00.000Z", "2026-03-10T15:15:00.000Z"],
    },
    {
      name: "nearest: 7 minutes past goes down, 8 goes up",
      rounding: nearest15,
      raw: ["2026-03-10T07:07:59Z", "2026-03-10T15:08:00Z"],
      span: ["2026-03-10T07:00:00.000Z", "2026-03-10T15:15:00.000Z"],
    },
    {
      name: "nearest: a tie goes up",
      rounding: policy(rule(10, "nearest"), null),
      raw: ["2026-03-10T07:05:00Z", "2026-03-10T09:00:00Z"],
      span: ["2026-03-10T07:10:00.000Z", "2026-03-10T09:00:00.000Z"],
    },
    {
      name: "only the end is rounded; the start keeps its minute",
      rounding: policy(null, rule(30, "up")),
      raw: ["2026-03-10T07:03:30Z", "2026-03-10T11:01:00Z"],
      span: ["2026-03-10T07:03:00.000Z", "2026-03-10T11:30:00.000Z"],
    },
    {
      name: "a step of 6 minutes (tenths of an hour)",
      rounding: policy(rule(6, "down"), rule(6, "up")),
      raw: ["2026-03-10T07:05:00Z", "2026-03-10T08:13:00Z"],
      span: ["2026-03-10T07:00:00.000Z", "2026-03-10T08:18:00.000Z"],
    },
    {
      name: "an end rounded up across midnight lands on the next day",
      rounding: policy(null, rule(15, "up")),
      raw: ["2026-03-10T19:00:00Z", "2026-03-10T22:53:00Z"],
      span: ["2026-03-10T19:00:00.000Z", "2026-03-10T23:00:00.000Z"],
    },
    {
      name: "a start at 23:48 rounded to the nearest 30 is midnight of the next day",
      rounding: policy(rule(30, "nearest"), null),
      raw: ["2026-03-10T22:48:00Z", "2026-03-11T04:00:00Z"],
      span: ["2026-03-10T23:00:00.000Z", "2026-03-11T04:00:00.000Z"],
    },
    {
      name: "a shift that rounding leaves empty is the one minute at its rounded start",
      rounding: quarterOut,
      raw: ["2026-03-10T06:50:00Z", "2026-03-10T06:56:00Z"],
      span: ["2026-03-10T07:00:00.000Z", "2026-03-10T07:01:00.000Z"],
    },
    {
      name: "hourly steps follow the local hour where the offset is not whole hours",
      rounding: policy(rule(60, "nearest"), rule(60, "nearest"), "Asia/Kolkata"),
      // 09:10 and 17:40 in Kolkata (+05:30).
      raw: ["2026-03-10T03:40:00Z", "2026-03-10T12:10:00Z"],
      span: ["2026-03-10T03:30:00.000Z", "2026-03-10T12:30:00.000Z"],
    },
  ])("$name", ({ rounding, raw, span }) => {
    expect(booked(raw[0] as string, raw[1] as string, rounding)).toEqual(span);
  });
});

describe("bookedSpan across the DST changes of Europe/Berlin", () => {
  it.each([
    {
      name: "spring forward: 01:53 CET rounded up to 15 is the jump, 03:00 CEST",
      rounding: policy(rule(15, "up"), null),
      raw: ["2026-03-29T00:53:00Z", "2026-03-29T05:00:00Z"],
      span: ["2026-03-29T01:00:00.000Z", "2026-03-29T05:00:00.000Z"],
      minutes: 240,
    },
    {
      name: "spring forward: a night shift 22:00 CET to 06:00 CEST lasts 7 hours",
      rounding: null,
      raw: ["2026-03-28T21:00:00Z", "2026-03-29T04:00:00Z"],
      span: ["2026-03-28T21:00:00.000Z", "2026-03-29T04:00:00.000Z"],
      minutes: 420,
    },
    {
      name: "spring forward: an end at 03:05 CEST rounded down to 30 is 03:00 CEST",
      rounding: policy(null, rule(30, "down")),
      raw: ["2026-03-28T23:00:00Z", "2026-03-29T01:05:00Z"],
      span: ["2026-03-28T23:00:00.000Z", "2026-03-29T01:00:00.000Z"],
      minutes: 120,
    },
    {
      name: "fall back: 02:52 CEST (first pass) rounded up to 15 is 02:00 CET",
      rounding: policy(null, rule(15, "up")),
      raw: ["2026-10-24T22:00:00Z", "2026-10-25T00:52:00Z"],
      span: ["2026-10-24T22:00:00.000Z", "2026-10-25T01:00:00.000Z"],
      minutes: 180,
    },
    {
      name: "fall back: 02:52 CET (second pass) rounded up to 15 is 03:00 CET",
      rounding: policy(null, rule(15, "up")),
      raw: ["2026-10-24T22:00:00Z", "2026-10-25T01:52:00Z"],
      span: ["2026-10-24T22:00:00.000Z", "2026-10-25T02:00:00.000Z"],
      minutes: 240,
    },
    {
      name: "fall back: 02:10 CEST to 02:20 CET, nearest 15, counts the repeated hour",
      rounding: policy(rule(15, "nearest"), rule(15, "nearest")),
      raw: ["2026-10-25T00:10:00Z", "2026-10-25T01:20:00Z"],
      span: ["2026-10-25T00:15:00.000Z", "2026-10-25T01:15:00.000Z"],
      minutes: 60,
    },
  ])("$name", ({ rounding, raw, span, minutes }) => {
    expect(booked(raw[0] as string, raw[1] as string, rounding)).toEqual(span);
    const booking = bookedSpan(
      { start: new Date(raw[0] as string), end: new Date(raw[1] as string) },
      rounding,
    );
    expect(spanMinutes(booking)).toBe(minutes);
  });
});

describe("the rounding policy as an entry keeps it", () => {
  it("is null when entry.rounding is off or rounds neither end", () => {
    expect(roundingPolicy(null, BERLIN)).toBeNull();
    expect(roundingPolicy({ start: null, end: null }, BERLIN)).toBeNull();
  });

  it("reads back what it wrote", () => {
    const kept = policy(rule(15, "up"), rule(5, "nearest"));
    expect(parseRounding(serialiseRounding(kept))).toEqual(kept);
    expect(parseRounding(serialiseRounding(null))).toBeNull();
  });

  it("refuses a stored policy it did not write", () => {
    expect(() =>
      parseRounding('{"start":{"stepMinutes":7,"direction":"up"},"end":null,"zone":"UTC"}'),
    ).toThrow(/is not one timeclock wrote/);
  });

  it("describes itself for people", () => {
    expect(describeRounding(null)).toBe("whole minutes");
    expect(describeRounding(policy(rule(15, "up"), null))).toBe(
      "start up to 15 min, end to the minute (Europe/Berlin)",
    );
  });
});
