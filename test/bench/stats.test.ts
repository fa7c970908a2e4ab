import { describe, expect, it } from "vitest";
import { median, percentile, spread, summarize } from "../../bench/stats.js";

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    { samples: [7], p: 50, expected: 7 },
    { samples: [7], p: 99, expected: 7 },
    { samples: [1, 2, 3, 4], p: 50, expected: 2 },
    { samples: [1, 2, 3, 4], p: 51, expected: 3 },
    { samples: [1, 2, 3, 4], p: 100, expected: 4 },
    { samples: hundred, p: 99, expected: 99 },
    { samples: hundred, p: 1, expected: 1 },
    { samples: [...hundred, 1000], p: 99, expected: 100 },
  ])("p$p of $samples.length samples is $expected", ({ samples, p, expected }) => {
    expect(percentile(samples, p)).toBe(expected);
  });

  it.each([0, -1, 101, Number.NaN])("refuses percentile %s", (p) => {
    expect(() => percentile([1, 2], p)).toThrow(`percentile ${p} must be above 0 and at most 100`);
  });

  it("refuses an empty sample", () => {
    expect(() => percentile([], 50)).toThrow("percentile of no samples");
  });
});

describe("summarize", () => {
  it("sorts before ranking and keeps count, max and mean", () => {
    expect(summarize([5, 1, 4, 2, 3])).toEqual({
      count: 5,
      p50: 3,
      p90: 5,
      p99: 5,
      max: 5,
      mean: 3,
    });
  });
});

describe("median and spread of a few runs", () => {
  it.each([
    { values: [3], median: 3, min: 3, max: 3 },
    { values: [5, 1, 3], median: 3, min: 1, max: 5 },
    { values: [4, 1, 3, 2], median: 2, min: 1, max: 4 },
  ])("of $values", ({ values, ...expected }) => {
    expect(median(values)).toBe(expected.median);
    expect(spread(values)).toEqual({ min: expected.min, max: expected.max });
  });

  it("refuses no runs", () => {
    expect(() => median([])).toThrow("median of no values");
  });
});
