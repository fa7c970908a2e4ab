import { describe, expect, it } from "vitest";
import {
  type FeedbackState,
  frameAt,
  PATTERNS,
  READER_FAULT_CYCLE,
  totalMs,
} from "../../src/feedback/patterns.js";

const idle: FeedbackState = {
  pattern: undefined,
  readerFaultSinceMs: undefined,
  backlog: "booked",
  backlogSinceMs: 0,
};
const clockIn = { steps: PATTERNS["clock-in"], startedAtMs: 1000 };

describe("frameAt", () => {
  it.each<[string, FeedbackState, number, string, number | undefined, boolean]>([
    ["idle", idle, 5000, "", undefined, false],
    ["clock-in, first step", { ...idle, pattern: clockIn }, 1000, "green buzzer", 1150, false],
    ["clock-in, second step", { ...idle, pattern: clockIn }, 1150, "green", 2000, false],
    ["clock-in, over", { ...idle, pattern: clockIn }, 2000, "", undefined, true],
    ["pending backlog", { ...idle, backlog: "pending" }, 7, "amber", undefined, false],
    [
      "stuck, lit half",
      { ...idle, backlog: "stuck", backlogSinceMs: 100 },
      350,
      "amber",
      600,
      false,
    ],
    ["stuck, dark half", { ...idle, backlog: "stuck", backlogSinceMs: 100 }, 600, "", 1100, false],
    ["reader fault, lit", { ...idle, readerFaultSinceMs: 0 }, 4200, "red", 4500, false],
    ["reader fault, dark", { ...idle, readerFaultSinceMs: 0 }, 4700, "", 6000, false],
    [
      "pattern over a reader fault, with a stuck backlog",
      { ...idle, pattern: clockIn, readerFaultSinceMs: 0, backlog: "stuck", backlogSinceMs: 0 },
      1400,
      "green amber",
      1500,
      false,
    ],
  ])("%s", (_name, state, now, lit, nextChangeAtMs, patternEnded) => {
    const frame = frameAt(state, now);
    const on = Object.entries(frame.levels)
      .filter(([, value]) => value)
      .map(([name]) => name)
      .join(" ");
    expect({ on, next: frame.nextChangeAtMs, ended: frame.patternEnded }).toEqual({
      on: lit,
      next: nextChangeAtMs,
      ended: patternEnded,
    });
  });
});

describe("patterns", () => {
  it("differ from each other in what lights, how often and how long", () => {
    const signatures = Object.values(PATTERNS).map((steps) => JSON.stringify(steps));
    expect(new Set(signatures).size).toBe(signatures.length);
  });

  it("are short enough to end before the next person taps", () => {
    for (const [signal, steps] of Object.entries(PATTERNS)) {
      expect({ signal, ms: totalMs(steps) <= 2500 }).toEqual({ signal, ms: true });
    }
    expect(READER_FAULT_CYCLE.some((step) => step.red)).toBe(true);
  });
});
