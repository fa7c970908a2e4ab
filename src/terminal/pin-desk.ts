import { AttemptWindow, pinHolders, tryPin } from "../admin/index.js";
import type { PinPerson, PinTapResult } from "../control/protocol.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { DisplayConfig } from "../display/config-schema.js";
import type { Db } from "../store/database.js";
import type { DoorHooks } from "./door-hooks.js";

/** The source journalled with a tap made by PIN on the touch screen instead of a badge. */
export const PIN_SOURCE = "pin";

/**
 * The forgotten-badge desk in the daemon: who may tap by PIN, and the check of a PIN typed at the
 * kiosk. A right PIN becomes a tap of that badge through the same path as a read at the reader
 * (journal, pairing, LED and buzzer, the screen), journalled with the source "pin". PINs are
 * checked one at a time, at most `attemptsPerMinute` over all badges; a badge locks after
 * `wrongBeforeLock` wrong ones in a row, in the database, so that a restart does not lift it.
 */
export class PinDesk {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #config: DisplayConfig;
  readonly #door: Pick<DoorHooks, "read">;
  readonly #window: AttemptWindow;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(deps: {
    db: Db;
    clock: Clock;
    logger: Logger;
    display: DisplayConfig;
    door: Pick<DoorHooks, "read">;
  }) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#log = deps.logger.child({ part: "pin" });
    this.#config = deps.display;
    this.#door = deps.door;
    this.#window = new AttemptWindow(deps.display.kiosk.pin.attemptsPerMinute);
  }

  get enabled(): boolean {
    return this.#config.type === "kiosk" && this.#config.kiosk.pin.enabled;
  }

  /** Everyone with a PIN, by name; nobody while the feature is off. */
  people(): PinPerson[] {
    if (!this.enabled) return [];
    const now = this.#clock.now();
    return pinHolders({ db: this.#db })
      .map((holder) => ({
        badgeId: holder.badgeId,
        name: holder.name ?? holder.email.split("@")[0] ?? holder.email,
        lockedUntil:
          holder.lockedUntil && holder.lockedUntil > now ? holder.lockedUntil.toISOString() : null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.badgeId.localeCompare(b.badgeId));
  }

  /** Checks a PIN typed for a badge and, when it is right, journals the tap. */
  tap(badgeId: string, pin: string): Promise<PinTapResult> {
    const run = this.#chain.then(() => this.#tap(badgeId, pin));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #tap(badgeId: string, pin: string): Promise<PinTapResult> {
    if (!this.enabled) return { outcome: "off" };
    if (!this.#window.take(this.#clock.monotonicMs())) {
      this.#log.warn(
        { badge: badgeId, perMinute: this.#config.kiosk.pin.attemptsPerMinute },
        "PIN refused unchecked: too many PIN attempts in the last minute",
      );
      return { outcome: "busy" };
    }
    const pinConfig = this.#config.kiosk.pin;
    const attempt = await tryPin({ db: this.#db, clock: this.#clock }, badgeId, pin, {
      wrongBeforeLock: pinConfig.wrongBeforeLock,
      lockMinutes: pinConfig.lockMinutes,
    });
    switch (attempt.outcome) {
      case "no-pin":
        this.#log.warn({ badge: badgeId }, "PIN typed for a badge that has no PIN");
        return { outcome: "no-pin" };
      case "wrong":
        this.#log.warn({ badge: badgeId, left: attempt.left }, "wrong PIN typed at the kiosk");
        return { outcome: "wrong", left: attempt.left };
      case "locked":
        this.#log.warn(
          { badge: badgeId, until: attempt.until.toISOString() },
          "PIN refused: the badge is locked after wrong PINs (timeclock badges pin --unlock lifts it)",
        );
        return { outcome: "locked", until: attempt.until.toISOString() };
      case "right": {
        const { badgeId: id, knownBits } = attempt.badge;
        const tap = await this.#door.read({ badgeId: id, knownBits, raw: PIN_SOURCE }, PIN_SOURCE);
        if (!tap) return { outcome: "failed" };
        return { outcome: "tapped", tapId: tap.tapId, tap: tap.outcome };
      }
    }
  }
}
