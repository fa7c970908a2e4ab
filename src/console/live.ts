import type { TerminalEvent } from "../terminal/events.js";

export type LiveListener = (event: TerminalEvent) => void;

/** Open event streams at once; more are refused, so that forgotten tabs cannot fill the memory. */
export const MAX_STREAMS = 32;

/**
 * The terminal's events inside the console process, for Server-Sent Events streams: the status
 * page today, the kiosk page next. Listeners must not throw; one that does is dropped.
 */
export class LiveHub {
  readonly #listeners = new Set<LiveListener>();

  get size(): number {
    return this.#listeners.size;
  }

  /** Returns the function that unsubscribes, or null when too many streams are open. */
  subscribe(listener: LiveListener): (() => void) | null {
    if (this.#listeners.size >= MAX_STREAMS) return null;
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: TerminalEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }
}
