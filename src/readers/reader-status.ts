import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { systemTimers, type Timers } from "../gpio/timers.js";
import type { Decoded } from "./decoded.js";
import { LogSummary } from "./log-summary.js";
import type { ReaderEvents, ReaderState, ReaderStatus } from "./reader.js";
import { RepeatSuppressor } from "./repeat-suppressor.js";

export interface ReaderDeps {
  logger: Logger;
  clock: Clock;
  events: ReaderEvents;
  /** For the windows of repeated log lines; default the system's. */
  timers?: Timers;
}

/**
 * The part every reader shares: its status and counters, and the path from decoded bytes to
 * `onBadge` through repeat suppression. State changes are logged and reported; counters are
 * logged with every state change so that a log shows how noisy the line was. Lines that can repeat
 * many times a second (drops, noise, reconnects) are summarised: the first in full, then a count.
 */
export class ReaderRuntime {
  readonly logger: Logger;
  readonly #deps: ReaderDeps;
  readonly #suppressor: RepeatSuppressor;
  readonly #summary: LogSummary;
  #status: ReaderStatus;

  constructor(deps: ReaderDeps, identity: { type: string; device?: string }, repeatSuppressMs = 0) {
    this.#deps = deps;
    this.#suppressor = new RepeatSuppressor(repeatSuppressMs);
    // The caller may already have made the reader's child logger; a second `part` would repeat the key.
    const part = deps.logger.bindings().part === undefined ? { part: "reader" } : {};
    this.logger = deps.logger.child({
      ...part,
      type: identity.type,
      device: identity.device,
    });
    this.#summary = new LogSummary(this.logger, {
      timers: deps.timers ?? systemTimers,
      monotonicMs: () => deps.clock.monotonicMs(),
    });
    this.#status = {
      ...identity,
      state: "stopped",
      counters: { reads: 0, duplicatesSuppressed: 0, framesDropped: 0, noiseBytes: 0, reopens: 0 },
    };
  }

  status(): ReaderStatus {
    return { ...this.#status, counters: { ...this.#status.counters } };
  }

  monotonicMs(): number {
    return this.#deps.clock.monotonicMs();
  }

  setState(state: ReaderState, detail?: string): void {
    if (state === this.#status.state && detail === this.#status.detail) return;
    this.#status = { ...this.#status, state, detail };
    const fields = { state, detail, counters: { ...this.#status.counters } };
    if (state === "reconnecting") this.#summary.log("warn", fields, "reader reconnecting");
    else if (state === "open" && this.#status.counters.reopens) {
      this.#summary.log("info", fields, "reader open again");
    } else {
      if (state === "stopped") this.#summary.flush();
      this.logger[state === "failed" ? "warn" : "info"](fields, `reader ${state}`);
    }
    this.#deps.events.onStatus?.(this.status());
  }

  /** A warning that may come once per frame or line: logged in full once a window, then counted. */
  warnRepeated(fields: object, msg: string): void {
    this.#summary.log("warn", fields, msg);
  }

  /** The source is gone for good: reported as stopped, then as the end of all reads. */
  end(detail: string): void {
    this.setState("stopped", detail);
    this.#deps.events.onEnd?.(detail);
  }

  count(counter: string, by = 1): void {
    this.#status.counters[counter] = (this.#status.counters[counter] ?? 0) + by;
  }

  /**
   * Counts what a parser threw away and hands each new tap to `onBadge`. Thrown-away bytes may
   * hold most of a badge number, so they are logged under the `badge` key, which `log.redactBadges`
   * censors as a whole.
   */
  handle(decoded: readonly Decoded[]): void {
    for (const item of decoded) {
      if (item.kind === "noise") {
        this.count("noiseBytes", item.bytes);
        const fields = { bytes: item.bytes, badge: { raw: item.raw } };
        this.#summary.log("debug", fields, "noise between frames");
      } else if (item.kind === "dropped") {
        this.count("framesDropped");
        this.warnRepeated({ badge: { raw: item.raw, reason: item.reason } }, "dropped a frame");
      } else if (!this.#suppressor.accept(item.read.badgeId, this.#deps.clock.monotonicMs())) {
        this.count("duplicatesSuppressed");
      } else {
        this.count("reads");
        this.#status.lastReadAt = this.#deps.clock.now().toISOString();
        this.logger.info(
          { badgeId: item.read.badgeId, knownBits: item.read.knownBits },
          "badge read",
        );
        this.#deps.events.onBadge(item.read);
      }
    }
  }
}
