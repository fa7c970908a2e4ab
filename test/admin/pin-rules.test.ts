import { describe, expect, it } from "vitest";
import { AttemptWindow, afterWrongPin, isLocked, pinProblem } from "../../src/admin/index.js";

describe("which PINs may be set", () => {
  it.each([
    ["4711", null],
    ["90210", null],
    ["13579", null],
    ["20261130", null],
    ["1123", null],
    ["123", /has 3 digits; use 4 to 8/],
    ["123456789", /has 9 digits; use 4 to 8/],
    ["", /has 0 digits/],
    ["12a4", /digits only/],
    ["12 34", /digits only/],
    ["١٢٣٤", /digits only/],
    ["0000", /repeats one digit/],
    ["5555", /repeats one digit/],
    ["1212", /repeats/],
    ["123123", /repeats/],
    ["47114711", /repeats/],
    ["1234", /counts up or down/],
    ["4321", /counts up or down/],
    ["7890", /counts up or down/],
    ["98765", /counts up or down/],
    ["0123", /counts up or down/],
  ])("%j: %s", (pin, expected) => {
    const problem = pinProblem(pin);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
    // A problem never quotes the PIN (only its fixed examples): it may reach a log or a page.
    if (problem && pin.length >= 4 && !["0000", "1212", "1234"].includes(pin)) {
      expect(problem).not.toContain(pin);
    }
  });
});

describe("the lockout after wrong PINs", () => {
  const policy = { wrongBeforeLock: 3, lockMinutes: 15 };
  const now = new Date("2026-03-10T08:00:00Z");
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it.each([
    [
      { failures: 0, lockedUntil: null },
      { failures: 1, lockedUntil: null },
    ],
    [
      { failures: 1, lockedUntil: null },
      { failures: 2, lockedUntil: null },
    ],
    [
      { failures: 2, lockedUntil: null },
      { failures: 0, lockedUntil: later(15) },
    ],
  ])("after %j a wrong PIN gives %j", (before, after) => {
    expect(afterWrongPin(before, now, policy)).toEqual(after);
  });

  it.each([
    [null, 0, false],
    [later(15), 0, true],
    [later(15), 14.99, true],
    [later(15), 15, false],
    [later(15), 16, false],
  ])("locked until %s, %d minutes on: locked %s", (until, minutes, locked) => {
    expect(isLocked({ failures: 0, lockedUntil: until }, later(minutes))).toBe(locked);
  });
});

describe("the limit on PINs a minute over every badge", () => {
  it("takes at most the limit in any 60 seconds, then again as the oldest age out", () => {
    const window = new AttemptWindow(3);
    expect([0, 10_000, 20_000, 30_000].map((at) => window.take(at))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(window.take(59_999)).toBe(false);
    expect(window.take(60_000)).toBe(true);
    expect(window.take(60_001)).toBe(false);
    expect(window.take(70_000)).toBe(true);
  });
});
