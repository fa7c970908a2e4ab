import type { Feedback } from "../feedback/feedback.js";
import type { Reader, ReaderStatus } from "../readers/reader.js";
import type { StatusPublisher } from "./status-documents.js";

const READER_STATUS_MS = 5_000;

/**
 * The reader's health, as people see it: the red LED while the reader is gone, and its status
 * document. Counters change with every read; publishing them per tap would add a write to each
 * tap, so they go out on state changes and every few seconds when they moved.
 */
export class ReaderHealth {
  readonly #feedback: Pick<Feedback, "signal" | "clearReaderFault">;
  readonly #status: StatusPublisher;
  #fault = false;
  #published = "";
  #timer: NodeJS.Timeout | undefined;

  constructor(feedback: Pick<Feedback, "signal" | "clearReaderFault">, status: StatusPublisher) {
    this.#feedback = feedback;
    this.#status = status;
  }

  /** The reader's own report of a state change. */
  onStatus(readerStatus: ReaderStatus): void {
    this.#status.publish("reader", readerStatus);
    this.#published = JSON.stringify(readerStatus);
    const fault = readerStatus.state === "reconnecting" || readerStatus.state === "failed";
    if (fault && !this.#fault) this.#feedback.signal("reader-fault");
    if (!fault && this.#fault) this.#feedback.clearReaderFault();
    this.#fault = fault;
  }

  /** Publishes the counters now and then every few seconds when they moved. */
  watch(reader: Reader): void {
    const publish = () => {
      const current = reader.status();
      const text = JSON.stringify(current);
      if (text === this.#published) return;
      this.#published = text;
      this.#status.publish("reader", current);
    };
    publish();
    this.#timer = setInterval(publish, READER_STATUS_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
