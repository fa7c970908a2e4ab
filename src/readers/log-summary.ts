import type { Logger } from "../core/logger.js";
import type { Timers } from "../gpio/timers.js";

/**
 * How long repeats of one log message are counted before one line reports them: long enough that
 * a noisy cable (hundreds of dropped frames a minute) costs one line a minute, short enough that
 * the log still shows when the trouble stopped.
 */
export const SUMMARY_WINDOW_MS = 60_000;

type Level = "warn" | "info" | "debug";

interface Pending {
  level: Level;
  count: number;
  startedMs: number;
  timer: unknown;
}

/**
 * Log lines that may repeat many times a second (dropped frames, noise, a reader that keeps
 * reconnecting): the first of a message is logged in full, the next ones are only counted, and at
 * the end of each window one line says "N more in the last M s". A window without repeats ends
 * the summary, so the next occurrence is logged in full again. Counters elsewhere stay exact; only
 * the log is spared.
 */
export class LogSummary {
  readonly #logger: Logger;
  readonly #timers: Timers;
  readonly #monotonicMs: () => number;
  readonly #windowMs: number;
  readonly #pending = new Map<string, Pending>();

  constructor(
    logger: Logger,
    deps: { timers: Timers; monotonicMs: () => number },
    windowMs = SUMMARY_WINDOW_MS,
  ) {
    this.#logger = logger;
    this.#timers = deps.timers;
    this.#monotonicMs = deps.monotonicMs;
    this.#windowMs = windowMs;
  }

  log(level: Level, fields: object, msg: string): void {
    const pending = this.#pending.get(msg);
    if (pending) {
      pending.count++;
      return;
    }
    this.#logger[level](fields, msg);
    this.#open(msg, level);
  }

  /** Reports every count still open and forgets them (the reader stops). */
  flush(): void {
    for (const [msg, pending] of this.#pending) {
      this.#timers.clearTimeout(pending.timer);
      this.#report(msg, pending);
    }
    this.#pending.clear();
  }

  #open(msg: string, level: Level): void {
    const pending: Pending = { level, count: 0, startedMs: this.#monotonicMs(), timer: undefined };
    pending.timer = this.#timers.setTimeout(() => this.#windowEnded(msg, pending), this.#windowMs);
    this.#pending.set(msg, pending);
  }

  #windowEnded(msg: string, pending: Pending): void {
    this.#pending.delete(msg);
    if (pending.count === 0) return;
    this.#report(msg, pending);
    // They go on: keep counting for another window rather than logging the next one in full.
    this.#open(msg, pending.level);
  }

  #report(msg: string, pending: Pending): void {
    if (pending.count === 0) return;
    const seconds = Math.max(1, Math.round((this.#monotonicMs() - pending.startedMs) / 1000));
    this.#logger[pending.level](
      { repeated: pending.count, seconds },
      `${msg}: ${pending.count} more in the last ${seconds} s`,
    );
  }
}
