import type { EnrolmentView } from "../control/protocol.js";
import type { KeyName } from "../gpio/config-schema.js";
import type { TapOutcome, TapReasonCode } from "../store/journal.js";
import type { StatusKey } from "./status-documents.js";

/** A tap as it was journalled, for screens that show what just happened (console, kiosk). */
export interface TapEvent {
  tapId: number;
  at: string;
  badgeId: string;
  knownBits: 24 | 32 | 40;
  outcome: TapOutcome;
  reasonCode: TapReasonCode | null;
  email: string | null;
  badgeName: string | null;
  /** The entry a clock-out queued. */
  entryId: string | null;
}

/** What the terminal tells the parts that watch it; each is sent after it is committed. */
export type TerminalEvent =
  | { type: "tap"; tap: TapEvent }
  /** Enrolment was armed, cancelled, or captured a badge. */
  | { type: "enrolment"; enrolment: EnrolmentView }
  | { type: "status"; key: StatusKey }
  /** A function key or a touch button set the meaning of the next tap within `windowMs`. */
  | { type: "key"; key: KeyName; windowMs: number; source: "key" | "screen" };

export type TerminalEventListener = (event: TerminalEvent) => void;

/**
 * The daemon's events for watchers such as the web console. Delivery waits for the next turn of
 * the event loop and a failing listener is dropped from that delivery: whatever a watcher does,
 * it runs after the tap's transaction and feedback, never on their path.
 */
export class TerminalEvents {
  readonly #listeners = new Set<TerminalEventListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: TerminalEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: TerminalEvent): void {
    if (this.#listeners.size === 0) return;
    setImmediate(() => {
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (error) {
          this.#onListenerError(error);
        }
      }
    });
  }
}
