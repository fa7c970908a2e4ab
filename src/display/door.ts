import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { TerminalEvent } from "../terminal/events.js";
import type { DoorReads } from "./door-reads.js";
import {
  type DoorInput,
  type DoorState,
  initialDoor,
  nextDeadline,
  reduceDoor,
  type Screen,
  screenAt,
  tapScreen,
} from "./screen.js";

/** Status changes come in bursts (a booking run); the idle facts are read again at most this often. */
const IDLE_REFRESH_MS = 300;

export type ScreenListener = (screen: Screen) => void;

export interface DoorDeps {
  reads: DoorReads;
  config: Config;
  clock: Clock;
  logger: Logger;
}

/**
 * The door's screen in the display process: the terminal's events go in, the screen due now
 * comes out to every display that listens (the kiosk page's streams, an LCD or OLED). A tap's
 * facts (name, hours) are read here, after the terminal committed the tap and moved on (in site
 * mode from the site database, within a short timeout); nothing here can reach back into the
 * tap's path.
 */
export class Door {
  readonly #deps: DoorDeps;
  readonly #listeners = new Set<ScreenListener>();
  #state: DoorState = initialDoor();
  #shown = "";
  #deadline: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #taps: Promise<void> = Promise.resolve();

  constructor(deps: DoorDeps) {
    this.#deps = deps;
  }

  /** Reads the idle facts once; call before the first listener wants a screen. */
  start(): void {
    this.#refreshIdle();
  }

  current(): Screen {
    return screenAt(this.#state, this.#deps.clock.monotonicMs());
  }

  /** The listener hears the current screen at once and every change after. */
  subscribe(listener: ScreenListener): () => void {
    this.#listeners.add(listener);
    listener(this.current());
    return () => this.#listeners.delete(listener);
  }

  get listeners(): number {
    return this.#listeners.size;
  }

  /** A terminal event, as the console process receives it over IPC. */
  onEvent(event: TerminalEvent): void {
    if (this.#closed) return;
    const { clock, config } = this.#deps;
    const holdMs = config.display.holdSeconds * 1000;
    try {
      switch (event.type) {
        case "tap": {
          const { tap } = event;
          // Taps are shown in the order they came, each once its hours are read.
          this.#taps = this.#taps.then(async () => {
            try {
              const facts = await this.#deps.reads.tapFacts(tap);
              if (this.#closed) return;
              const screen = tapScreen(tap, facts, config.pairing.minGapSeconds);
              this.#apply({ type: "tap", screen, nowMono: clock.monotonicMs(), holdMs });
              // The tap may have queued an entry: the idle screen's count follows.
              this.#scheduleIdle();
            } catch (error) {
              this.#deps.logger.warn({ err: error }, "the door's screen could not show a tap");
            }
          });
          return;
        }
        case "key":
          this.#apply({
            type: "key",
            key: event.key,
            nowMono: clock.monotonicMs(),
            nowMs: clock.now().getTime(),
            windowMs: event.windowMs,
          });
          return;
        case "enrolment":
          this.#apply({
            type: "enrolment",
            view: event.enrolment,
            nowMono: clock.monotonicMs(),
            nowMs: clock.now().getTime(),
            holdMs,
          });
          return;
        case "status":
          this.#scheduleIdle();
          return;
      }
    } catch (error) {
      this.#deps.logger.warn(
        { err: error, event: event.type },
        "the door's screen could not follow an event",
      );
    }
  }

  #scheduleIdle(): void {
    this.#idleTimer ??= setTimeout(() => {
      this.#idleTimer = undefined;
      this.#refreshIdle();
    }, IDLE_REFRESH_MS);
  }

  #refreshIdle(): void {
    try {
      this.#apply({ type: "idle", idle: this.#deps.reads.idle() });
    } catch (error) {
      this.#deps.logger.warn({ err: error }, "the door's idle screen could not be read");
    }
  }

  #apply(input: DoorInput): void {
    this.#state = reduceDoor(this.#state, input);
    // A new tap or key is news even when it looks like the last one (the same person again).
    this.#publish(input.type !== "idle");
  }

  #publish(force: boolean): void {
    const nowMono = this.#deps.clock.monotonicMs();
    const screen = screenAt(this.#state, nowMono);
    const text = JSON.stringify(screen);
    if (force || text !== this.#shown) {
      this.#shown = text;
      for (const listener of this.#listeners) {
        try {
          listener(screen);
        } catch (error) {
          this.#listeners.delete(listener);
          this.#deps.logger.warn({ err: error }, "a display of the door failed; it is left out");
        }
      }
    }
    clearTimeout(this.#deadline);
    const deadline = nextDeadline(this.#state, nowMono);
    if (deadline !== null && !this.#closed) {
      this.#deadline = setTimeout(() => this.#publish(false), deadline - nowMono + 5);
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#deadline);
    clearTimeout(this.#idleTimer);
    this.#listeners.clear();
  }
}
