import type { ReaderRuntime } from "./reader-status.js";

/** An open device; `closed` settles when it goes away by itself (unplugged, process ended). */
export interface DeviceSession {
  closed: Promise<string>;
  /** A problem worth showing while the device works, such as a serial console on the same port. */
  warning?: string;
  close(): Promise<void>;
}

export interface Backoff {
  /** First delay before reopening, in milliseconds. */
  initialMs: number;
  /** Longest delay; it doubles per failed attempt up to this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

/** A device that stayed open this long was working; its loss starts the backoff afresh. */
const STABLE_SESSION_MS = 10_000;

/**
 * Keeps a device open: opens it, waits for it to go away, and reopens with a capped, doubling
 * delay. A failure to open is never thrown; it becomes state `reconnecting` with the explanation,
 * since a reader unplugged at boot should work once it is plugged in.
 */
export class Reconnector {
  #session: DeviceSession | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #stopping = false;
  #loop: Promise<void> | undefined;

  constructor(
    private readonly runtime: ReaderRuntime,
    private readonly open: () => Promise<DeviceSession>,
    /** Turns an error from `open` into a sentence saying what is wrong and what to do. */
    private readonly explain: (error: unknown) => Promise<string> | string,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  /** Resolves after the first attempt to open, whether it worked or not. */
  async start(): Promise<void> {
    this.#stopping = false;
    this.runtime.setState("starting");
    let firstAttempt: () => void = () => {};
    const attempted = new Promise<void>((resolve) => {
      firstAttempt = resolve;
    });
    this.#loop = this.#run(firstAttempt);
    await attempted;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    const session = this.#session;
    this.#session = undefined;
    await session?.close();
    await this.#loop;
    this.runtime.setState("stopped");
  }

  async #run(firstAttempt: () => void): Promise<void> {
    let failures = 0;
    let opened = false;
    while (!this.#stopping) {
      let reason: string;
      try {
        const session = await this.open();
        if (this.#stopping) {
          await session.close();
          break;
        }
        this.#session = session;
        if (opened) this.runtime.count("reopens");
        opened = true;
        this.runtime.setState("open", session.warning);
        firstAttempt();
        const openedAt = this.runtime.monotonicMs();
        reason = await session.closed;
        this.#session = undefined;
        // A helper process that dies right after starting must back off like a failed open.
        failures = this.runtime.monotonicMs() - openedAt < STABLE_SESSION_MS ? failures + 1 : 0;
      } catch (error) {
        reason = await this.explain(error);
        failures++;
        this.runtime.count("openFailures");
      }
      firstAttempt();
      if (this.#stopping) break;
      const delay = Math.min(
        this.backoff.maxMs,
        this.backoff.initialMs * 2 ** Math.max(0, failures - 1),
      );
      this.runtime.setState("reconnecting", reason);
      this.runtime.logger.debug({ delayMs: delay, failures }, "reopening after a delay");
      await this.#sleep(delay);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }
}
