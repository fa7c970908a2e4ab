import { describe, expect, it } from "vitest";
import { RepeatSuppressor } from "../../src/readers/repeat-suppressor.js";

describe("RepeatSuppressor", () => {
  it.each([
    [
      "a card held in the field is one tap",
      1500,
      [
        ["A", 0],
        ["A", 200],
        ["A", 400],
        ["A", 1800],
        ["A", 3200],
      ],
      [true, false, false, false, false],
    ],
    [
      "the window slides with every repeat",
      1500,
      [
        ["A", 0],
        ["A", 1400],
        ["A", 2800],
        ["A", 4299],
      ],
      [true, false, false, false],
    ],
    [
      "a card taken away and tapped again after the window",
      1500,
      [
        ["A", 0],
        ["A", 100],
        ["A", 1600],
      ],
      [true, false, true],
    ],
    [
      "exactly the window apart is a new tap",
      1500,
      [
        ["A", 0],
        ["A", 1500],
      ],
      [true, true],
    ],
    [
      "two badges do not suppress each other",
      1500,
      [
        ["A", 0],
        ["B", 10],
        ["A", 20],
        ["B", 30],
      ],
      [true, true, false, false],
    ],
    [
      "a window of 0 suppresses nothing",
      0,
      [
        ["A", 0],
        ["A", 0],
        ["A", 1],
      ],
      [true, true, true],
    ],
  ] as const)("%s", (_name, windowMs, reads, expected) => {
    const suppressor = new RepeatSuppressor(windowMs);
    expect(reads.map(([id, at]) => suppressor.accept(id, at))).toEqual(expected);
  });
});
