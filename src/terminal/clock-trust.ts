import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Db } from "../store/database.js";
import { reanchorHeldEntries } from "../store/reanchor.js";
import {
  type ClockProbe,
  type ClockState,
  createAutoClockProbe,
  createTrustedClockProbe,
} from "../system/clock-state.js";
import type { StatusPublisher } from "./status-documents.js";

const CLOCK_POLL_MS = 10_000;

export interface ClockTrustDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  probe: ClockProbe;
  status: StatusPublisher;
  /** Entries held for the clock were released: there is something to book. */
  onReleased: () => void;
}

/**
 * Whether tap times can be trusted, as terminal.clockTrust asks: polls the probe until the clock is
 * synchronised, then re-anchors the entries held meanwhile (or sends them to review).
 */
export class ClockTrust {
  readonly #deps: ClockTrustDeps;
  readonly #probe: ClockProbe;
  readonly #log: Logger;
  readonly bootId: string;
  #state: ClockState;
  #timer: NodeJS.Timeout | undefined;

  private constructor(deps: ClockTrustDeps, probe: ClockProbe, state: ClockState) {
    this.#deps = deps;
    this.#probe = probe;
    this.#state = state;
    this.#log = deps.logger.child({ part: "clock" });
    this.bootId = probe.bootId();
  }

  static async start(trust: Config["terminal"]["clockTrust"], deps: ClockTrustDeps) {
    const probe =
      trust === "system"
        ? createTrustedClockProbe(deps.probe)
        : trust === "auto"
          ? createAutoClockProbe(deps.probe)
          : deps.probe;
    const clockTrust = new ClockTrust(deps, probe, await probe.read());
    clockTrust.#begin();
    return clockTrust;
  }

  get synchronized(): boolean {
    return this.#state.synchronized;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #begin(): void {
    if (!this.#state.synchronized) {
      this.#log.warn(
        { detail: this.#state.detail },
        "system clock not synchronised: taps are stored and held until it is",
      );
    }
    this.#apply(this.#state);
    this.#timer = setInterval(() => {
      if (this.#state.synchronized) return;
      this.#probe.read().then(
        (next) => this.#apply(next),
        (error) => this.#log.warn({ err: error }, "clock probe failed"),
      );
    }, CLOCK_POLL_MS);
    this.#timer.unref();
  }

  #apply(next: ClockState): void {
    const { db, clock, status } = this.#deps;
    const becameSynced = next.synchronized && !this.#state.synchronized;
    this.#state = next;
    status.publish("clock", { ...next, checkedAt: clock.now().toISOString() });
    if (!next.synchronized) return;
    const result = reanchorHeldEntries(
      db,
      this.bootId,
      clock.now().getTime() - clock.monotonicMs(),
      clock.now(),
    );
    if (becameSynced) this.#log.info("system clock synchronised");
    if (result.released + result.reviewed > 0) {
      this.#log.info(result, "entries held for the clock were re-anchored or sent to review");
      this.#deps.onReleased();
    }
  }
}
