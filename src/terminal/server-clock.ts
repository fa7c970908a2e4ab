import type { Logger } from "../core/logger.js";

/** Beyond this, the terminal's clock and GoodTime's disagree enough to misbook shifts. */
export const MAX_SKEW_MS = 2 * 60_000;

export interface ServerClockSkew {
  /** Local clock minus the server's Date header, in ms; positive means the terminal is ahead. */
  skewMs: number;
  ok: boolean;
  observedAt: string;
}

/**
 * Compares the `Date` header of GoodTime's responses with the local clock. The header has whole
 * seconds, so skews under two minutes are noise; beyond, a warning is logged once per change.
 */
export class ServerClockCheck {
  readonly #logger: Logger;
  readonly #publish: (skew: ServerClockSkew) => void;
  #lastOk: boolean | undefined;
  #lastPublishedMs = 0;

  constructor(logger: Logger, publish: (skew: ServerClockSkew) => void) {
    this.#logger = logger;
    this.#publish = publish;
  }

  observe(serverDate: Date, localDate: Date): ServerClockSkew {
    const skewMs = localDate.getTime() - serverDate.getTime();
    const ok = Math.abs(skewMs) <= MAX_SKEW_MS;
    const skew = { skewMs, ok, observedAt: localDate.toISOString() };
    if (ok !== this.#lastOk) {
      if (!ok) {
        this.#logger.warn(
          { skewSeconds: Math.round(skewMs / 1000) },
          "local clock and GoodTime's clock differ by more than 2 minutes; check NTP (timedatectl status)",
        );
      } else if (this.#lastOk === false) {
        this.#logger.info("local clock agrees with GoodTime's again");
      }
    }
    // Publishing writes to the database, so it is done on change or once a minute, not per request.
    if (ok !== this.#lastOk || localDate.getTime() - this.#lastPublishedMs > 60_000) {
      this.#publish(skew);
      this.#lastPublishedMs = localDate.getTime();
    }
    this.#lastOk = ok;
    return skew;
  }
}
