import type { Clock } from "../../src/core/clock.js";

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
