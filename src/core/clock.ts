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

/** A clock for tests: wall time and monotonic time move only when told, and can be made to diverge. */
export class FakeClock implements Clock {
  #wallMs: number;
  #monoMs = 0;

  constructor(start: Date | string) {
    this.#wallMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#wallMs);
  }

  monotonicMs(): number {
    return this.#monoMs;
  }

  /** Let real time pass: wall and monotonic clocks move together. */
  advance(ms: number): void {
    this.#wallMs += ms;
    this.#monoMs += ms;
  }

  /** Step the wall clock only, as NTP or an admin does; monotonic time is unaffected. */
  stepWall(ms: number): void {
    this.#wallMs += ms;
  }

  set(instant: Date | string): void {
    this.#wallMs = new Date(instant).getTime();
  }
}
