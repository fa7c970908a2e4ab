import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { FeedbackConfig, KeyName } from "../gpio/config-schema.js";
import type { BadgeRead } from "../readers/reader.js";
import type { RecordedTap } from "../store/journal.js";
import type { TerminalEvents } from "./events.js";
import { intentForKey } from "./keys.js";
import type { Terminal } from "./terminal.js";

/**
 * What the daemon tells the screen at the door, and what the screen may ask of the daemon: each
 * read and key press goes through the terminal core first (journal, LED, buzzer) and is announced
 * only after, on the next turn of the event loop (TerminalEvents), so no display can delay a tap.
 */
export class DoorHooks {
  readonly #core: Terminal;
  readonly #events: TerminalEvents;
  readonly #clock: Clock;
  readonly #keys: Pick<FeedbackConfig, "keys" | "keyWindowSeconds">;
  readonly #logger: Logger;

  constructor(deps: {
    core: Terminal;
    events: TerminalEvents;
    clock: Clock;
    keys: Pick<FeedbackConfig, "keys" | "keyWindowSeconds">;
    logger: Logger;
  }) {
    this.#core = deps.core;
    this.#events = deps.events;
    this.#clock = deps.clock;
    this.#keys = deps.keys;
    this.#logger = deps.logger.child({ part: "keys" });
  }

  /**
   * A badge read at the reader, or a tap by PIN (`source` "pin"); on a lone terminal it is
   * journalled before this returns.
   */
  async read(read: BadgeRead, source?: string): Promise<RecordedTap | null> {
    const tap = await this.#core.take(read, source);
    if (tap) {
      this.#events.emit({
        type: "tap",
        tap: {
          tapId: tap.tapId,
          at: this.#clock.now().toISOString(),
          badgeId: read.badgeId,
          knownBits: read.knownBits,
          outcome: tap.outcome,
          reasonCode: tap.reasonCode,
          email: tap.email,
          badgeName: tap.badgeName,
          entryId: tap.entry?.id ?? null,
        },
      });
    }
    return tap;
  }

  /** A function key, or the touch button of that name: it sets the meaning of the next tap. */
  press(key: KeyName, source: "key" | "screen"): void {
    const intent = intentForKey(key, this.#keys.keys);
    const windowMs = this.#keys.keyWindowSeconds * 1000;
    this.#logger.info(
      { key, intent, source },
      source === "key"
        ? "function key pressed; it sets the meaning of the next tap"
        : "button touched on the screen; it sets the meaning of the next tap",
    );
    this.#core.setIntent(intent, windowMs);
    this.#events.emit({ type: "key", key, windowMs, source });
  }
}
