/** Summaries of one run's samples: nearest-rank percentiles, no interpolation between samples. */

export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The smallest sample with at least `p` percent of the samples at or below it (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("percentile of no samples: measure at least one");
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} must be above 0 and at most 100`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) as number,
    mean: total / Math.max(sorted.length, 1),
  };
}

/** Milliseconds between two process.hrtime.bigint() readings. */
export function elapsedMs(from: bigint, to: bigint): number {
  return Number(to - from) / 1e6;
}

/** The middle value of a few runs' figures (the lower middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error("median of no values: run at least once");
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

/** The smallest and the largest of a few runs' figures. */
export function spread(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}
