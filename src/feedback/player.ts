import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { GpioOutput } from "../gpio/backend.js";
import type { Timers } from "../gpio/timers.js";
import {
  type BacklogState,
  type FeedbackSignal,
  type FeedbackState,
  frameAt,
  type Levels,
  PATTERNS,
} from "./patterns.js";

/** Plays patterns on whichever outputs opened; a failing output goes quiet, the rest go on. */

export type OutputName = keyof Levels;
export const OUTPUT_NAMES: readonly OutputName[] = ["green", "red", "buzzer", "amber"];

export interface OutputStatus {
  name: OutputName;
  bcm: number;
  /** Where the pin resolved to, e.g. "BCM 17 = gpiochip0 [pinctrl-bcm2711] line 17, sysfs GPIO 529". */
  resolved: string | undefined;
  state: "ok" | "failed";
  error: string | undefined;
}

/** A configured output: opened, or failed to open with the reason. */
export interface OutputSlot {
  name: OutputName;
  bcm: number;
  resolved: string | undefined;
  output: GpioOutput | undefined;
  error: string | undefined;
}

/** Signals that come from a read badge: the reader works again. */
const TAP_SIGNALS = new Set<FeedbackSignal>([
  "clock-in",
  "clock-out",
  "ignored",
  "unknown-badge",
  "refused",
]);

export class FeedbackPlayer {
  #state: FeedbackState;
  #current: Levels = { green: false, red: false, buzzer: false, amber: false };
  #timer: unknown;
  #closed = false;
  #lastError: string | undefined;

  constructor(
    private readonly slots: OutputSlot[],
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {
    this.#state = {
      pattern: undefined,
      readerFaultSinceMs: undefined,
      backlog: "booked",
      backlogSinceMs: clock.monotonicMs(),
    };
    this.#lastError = slots.find((slot) => slot.error)?.error;
  }

  get readerFault(): boolean {
    return this.#state.readerFaultSinceMs !== undefined;
  }

  get backlog(): BacklogState {
    return this.#state.backlog;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  signal(signal: FeedbackSignal): void {
    if (this.#closed) return;
    const now = this.clock.monotonicMs();
    if (signal === "reader-fault") {
      this.#state.readerFaultSinceMs ??= now;
    } else {
      if (TAP_SIGNALS.has(signal)) this.#state.readerFaultSinceMs = undefined;
      this.#state.pattern = { steps: PATTERNS[signal], startedAtMs: now };
    }
    this.#apply();
  }

  clearReaderFault(): void {
    if (this.#closed || this.#state.readerFaultSinceMs === undefined) return;
    this.#state.readerFaultSinceMs = undefined;
    this.#apply();
  }

  setBacklog(state: BacklogState): void {
    if (this.#closed || state === this.#state.backlog) return;
    this.#state.backlog = state;
    this.#state.backlogSinceMs = this.clock.monotonicMs();
    this.#apply();
  }

  status(): OutputStatus[] {
    return this.slots.map(({ name, bcm, resolved, output, error }) => ({
      name,
      bcm,
      resolved,
      state: output ? "ok" : "failed",
      error,
    }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    for (const slot of this.slots) {
      const output = slot.output;
      if (!output) continue;
      try {
        await output.close();
      } catch (error) {
        this.logger.warn({ output: slot.name, err: error }, "GPIO output did not close cleanly");
      }
    }
  }

  /** Marks an output dead after a fault reported by its backend (e.g. gpioset exited). */
  fail(name: OutputName, error: Error): void {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot?.output) return;
    slot.output = undefined;
    slot.error = error.message;
    this.#lastError = `${name}: ${error.message}`;
    this.logger.error(
      { output: name, bcm: slot.bcm, err: error },
      "GPIO output failed; it stays off, clocking goes on",
    );
  }

  #apply(): void {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = this.clock.monotonicMs();
    const frame = frameAt(this.#state, now);
    if (frame.patternEnded) this.#state.pattern = undefined;
    const changed = OUTPUT_NAMES.filter((name) => frame.levels[name] !== this.#current[name]);
    // Offs before ons: outputs take turns cleanly and never draw current together for an instant.
    for (const on of [false, true]) {
      for (const name of changed.filter((n) => frame.levels[n] === on)) {
        this.#current[name] = on;
        this.#write(name, on);
      }
    }
    if (frame.nextChangeAtMs !== undefined) {
      this.#timer = this.timers.setTimeout(() => this.#apply(), frame.nextChangeAtMs - now);
    }
  }

  #write(name: OutputName, on: boolean): void {
    const slot = this.slots.find((s) => s.name === name);
    if (!slot?.output) return;
    try {
      slot.output.write(on);
    } catch (error) {
      this.fail(name, error instanceof Error ? error : new Error(String(error)));
    }
  }
}
