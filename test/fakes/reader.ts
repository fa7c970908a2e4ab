import type { Clock } from "../../src/core/clock.js";
import type {
  BadgeRead,
  Reader,
  ReaderEvents,
  ReaderState,
  ReaderStatus,
} from "../../src/readers/reader.js";

/**
 * A reader for tests of the parts that consume readers: the test pushes reads and status
 * changes; nothing is parsed and nothing is suppressed.
 */
export class FakeReader implements Reader {
  #status: ReaderStatus = {
    type: "fake",
    state: "stopped",
    counters: { reads: 0 },
  };
  startCalls = 0;
  stopCalls = 0;

  constructor(
    private readonly events: ReaderEvents,
    private readonly clock: Clock,
  ) {}

  async start(): Promise<void> {
    this.startCalls++;
    this.setState("open");
  }

  async stop(): Promise<void> {
    this.stopCalls++;
    this.setState("stopped");
  }

  status(): ReaderStatus {
    return { ...this.#status, counters: { ...this.#status.counters } };
  }

  /** Delivers a read as a real reader would; `raw` defaults to the ID. */
  push(read: Omit<BadgeRead, "raw" | "knownBits"> & Partial<BadgeRead>): void {
    const full: BadgeRead = { knownBits: 40, raw: read.badgeId, ...read };
    this.#status.counters.reads = (this.#status.counters.reads ?? 0) + 1;
    this.#status.lastReadAt = this.clock.now().toISOString();
    this.events.onBadge(full);
  }

  setState(state: ReaderState, detail?: string): void {
    this.#status = { ...this.#status, state, detail };
    this.events.onStatus?.(this.status());
  }
}
