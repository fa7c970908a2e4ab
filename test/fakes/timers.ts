import type { Timers } from "../../src/gpio/timers.js";
import type { FakeClock } from "./clock.js";

interface Scheduled {
  id: number;
  dueMs: number;
  callback: () => void;
}

/** Timers that fire only when `advance` moves the fake clock past their due time, in order. */
export class FakeTimers implements Timers {
  #nextId = 1;
  #scheduled: Scheduled[] = [];

  constructor(private readonly clock: FakeClock) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#scheduled.push({ id, dueMs: this.clock.monotonicMs() + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#scheduled = this.#scheduled.filter((timer) => timer.id !== handle);
  }

  get pending(): number {
    return this.#scheduled.length;
  }

  /** Moves time forward by `ms`, firing each timer at its due time. */
  advance(ms: number): void {
    const endMs = this.clock.monotonicMs() + ms;
    for (;;) {
      const next = this.#scheduled
        .filter((timer) => timer.dueMs <= endMs)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (!next) break;
      this.#scheduled = this.#scheduled.filter((timer) => timer !== next);
      this.clock.advance(next.dueMs - this.clock.monotonicMs());
      next.callback();
    }
    this.clock.advance(endMs - this.clock.monotonicMs());
  }
}
