import type { Clock } from "../core/clock.js";

/**
 * Why the whole sync waits: GoodTime refused the credentials ("auth"), or the address answered as
 * something other than the API ("endpoint": a captive portal, a redirect, a 404 for the API, a 5xx,
 * an answer that cannot be read). Neither says anything about one entry, so nothing is parked:
 * every entry waits for the pause to end.
 */
export type PauseCause = "auth" | "endpoint";

export interface PauseSettings {
  /** First wait after the credentials were refused. */
  authRetryMs: number;
  /** First wait after an endpoint problem. */
  baseMs: number;
  /** Longest wait of either. */
  maxMs: number;
}

/**
 * The pause of the sync. Each failure in a row doubles the wait, up to `maxMs`; a server's
 * Retry-After is a floor. The end is kept on the monotonic clock, so a step of the wall clock
 * neither ends a pause early nor makes it last for hours.
 */
export class SyncPause {
  readonly #settings: PauseSettings;
  readonly #clock: Clock;
  #streak = 0;
  #cause: PauseCause | undefined;
  #endsAtMono = 0;

  constructor(settings: PauseSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /** The cause of the pause under way, if any. */
  get cause(): PauseCause | undefined {
    return this.#cause;
  }

  /**
   * Starts a pause and returns its length in milliseconds; undefined when one is already under
   * way, so that requests that were in flight together and fail alike count as one failure.
   */
  begin(cause: PauseCause, retryAfterMs?: number): number | undefined {
    if (this.#cause !== undefined) return undefined;
    this.#streak++;
    const first = cause === "auth" ? this.#settings.authRetryMs : this.#settings.baseMs;
    const exponent = Math.min(this.#streak - 1, 30);
    let delay = Math.min(first * 2 ** exponent, this.#settings.maxMs);
    if (retryAfterMs !== undefined)
      delay = Math.max(delay, Math.min(retryAfterMs, this.#settings.maxMs * 4));
    this.#cause = cause;
    this.#endsAtMono = this.#clock.monotonicMs() + delay;
    return delay;
  }

  /** Milliseconds left of the pause under way; 0 when none is, or it is over. */
  remainingMs(): number {
    if (this.#cause === undefined) return 0;
    return Math.max(0, this.#endsAtMono - this.#clock.monotonicMs());
  }

  /** The pause is over: the next request tries again. The streak stays until a definite answer. */
  end(): void {
    this.#cause = undefined;
  }

  /** GoodTime gave a definite answer: the next pause starts from the first wait again. */
  reset(): void {
    this.#streak = 0;
  }
}
