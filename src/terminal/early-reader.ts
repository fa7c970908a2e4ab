import type { ReaderConfig } from "../readers/config-schema.js";
import { type CreateReaderDeps, createReader } from "../readers/create-reader.js";
import type { BadgeRead, Reader, ReaderEvents, ReaderStatus } from "../readers/reader.js";

/**
 * Reads that arrive before the journal can take them are kept, at most this many. A badge held to
 * the reader repeats its frame, but repeat suppression lets one read through per hold; more than
 * this in one start-up means a reader sending garbage, not people at the door.
 */
export const MAX_EARLY_READS = 200;

/**
 * The reader, opened before the rest of the terminal. A serial port discards what arrived before
 * it was opened, so `timeclock run` opens it right after taking the data directory, before it loads
 * the daemon's code and opens the journal (which may take seconds on a Pi Zero after a power cut).
 * What it decodes meanwhile waits here, in order, without feedback, until the daemon adopts the
 * reader (`adopt`, shaped like createReader) and starts it: then every read goes to the journal.
 */
export class EarlyReader {
  readonly #reader: Reader;
  readonly #started: Promise<void>;
  readonly #deps: Pick<CreateReaderDeps, "logger">;
  readonly #reads: BadgeRead[] = [];
  #events: ReaderEvents | undefined;
  #flowing = false;
  #lastStatus: ReaderStatus | undefined;
  #ended: string | undefined;
  #dropped = 0;
  #stopped: Promise<void> | undefined;

  private constructor(config: ReaderConfig, deps: Omit<CreateReaderDeps, "events">) {
    this.#deps = deps;
    this.#reader = createReader(config, {
      ...deps,
      events: {
        onBadge: (read) => this.#onBadge(read),
        onStatus: (status) => {
          if (this.#flowing) this.#events?.onStatus?.(status);
          else this.#lastStatus = status;
        },
        onEnd: (detail) => {
          if (this.#flowing) this.#events?.onEnd?.(detail);
          else this.#ended = detail;
        },
      },
    });
    this.#started = this.#reader.start();
  }

  /** Opens the reader now; resolves after the first attempt, as Reader.start does. */
  static async open(
    config: ReaderConfig,
    deps: Omit<CreateReaderDeps, "events">,
  ): Promise<EarlyReader> {
    const early = new EarlyReader(config, deps);
    await early.#started;
    return early;
  }

  /**
   * For the daemon in place of createReader: the reader already open, now telling `deps.events`.
   * Reads kept so far are handed over when the daemon calls start() on it.
   */
  readonly adopt = (_config: ReaderConfig, deps: CreateReaderDeps): Reader => {
    this.#events = deps.events;
    return {
      start: () => this.#flow(),
      stop: () => this.stop(),
      status: () => this.#reader.status(),
    };
  };

  /** Ends the reader; also when the daemon never adopted it (it failed to start). */
  stop(): Promise<void> {
    this.#stopped ??= this.#reader.stop();
    return this.#stopped;
  }

  async #flow(): Promise<void> {
    await this.#started;
    const events = this.#events;
    if (!events || this.#flowing) return;
    this.#flowing = true;
    if (this.#lastStatus) events.onStatus?.(this.#lastStatus);
    if (this.#dropped > 0) {
      this.#deps.logger.error(
        { dropped: this.#dropped, kept: this.#reads.length },
        "more reads arrived while the terminal started than it keeps; the newest were dropped without feedback",
      );
    }
    for (const read of this.#reads.splice(0)) events.onBadge(read);
    if (this.#ended !== undefined) events.onEnd?.(this.#ended);
  }

  #onBadge(read: BadgeRead): void {
    if (this.#flowing) {
      this.#events?.onBadge(read);
    } else if (this.#reads.length < MAX_EARLY_READS) {
      this.#reads.push(read);
    } else {
      this.#dropped++;
    }
  }
}
