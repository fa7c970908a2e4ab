/**
 * Time as the terminal sees it. Passed in everywhere so that tests can drive midnight, DST changes
 * and clock steps without touching the system clock.
 */
export interface Clock {
  /** Wall-clock instant; may jump when NTP steps the system clock. */
  now(): Date;
  /** Milliseconds since boot that never jump (CLOCK_MONOTONIC). */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  // uv_hrtime reads CLOCK_MONOTONIC on Linux, so readings compare across processes of one boot.
  monotonicMs: () => Number(process.hrtime.bigint() / 1_000_000n),
};
