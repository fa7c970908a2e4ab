import { SerialPort } from "serialport";
import type { SerialReaderConfig } from "./config-schema.js";
import type { Decoded } from "./decoded.js";
import { LineDecoder } from "./line-parser.js";
import { Rdm6300Parser } from "./rdm6300-parser.js";
import type { Reader, ReaderStatus } from "./reader.js";
import { type ReaderDeps, ReaderRuntime } from "./reader-status.js";
import { type Backoff, type DeviceSession, Reconnector } from "./reconnector.js";
import { explainSerialOpenError, serialConsoleConflict } from "./serial-diagnostics.js";

/** The little of a serialport stream the reader uses; SerialPort and SerialPortMock both fit. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export type OpenSerialPort = (options: { path: string; baudRate: number }) => SerialPortLike;

export const openSystemSerialPort: OpenSerialPort = ({ path, baudRate }) =>
  new SerialPort({ path, baudRate, autoOpen: false });

export interface SerialReaderDeps extends ReaderDeps {
  openSerialPort?: OpenSerialPort;
  /** Where /proc and /dev are looked up for diagnostics; "/" unless a test fakes them. */
  fsRoot?: string;
  backoff?: Backoff;
}

interface FrameParser {
  push(chunk: Uint8Array): Decoded[];
  reset(): Decoded[];
}

export class SerialReader implements Reader {
  readonly #runtime: ReaderRuntime;
  readonly #reconnector: Reconnector;
  readonly #parser: FrameParser;

  constructor(
    private readonly config: SerialReaderConfig,
    deps: SerialReaderDeps,
  ) {
    this.#runtime = new ReaderRuntime(
      deps,
      { type: `serial/${config.protocol}`, device: config.path },
      config.repeatSuppressMs,
    );
    this.#parser =
      config.protocol === "rdm6300"
        ? new Rdm6300Parser()
        : new LineDecoder(config.format ?? "hex10");
    const root = deps.fsRoot ?? "/";
    const openPort = deps.openSerialPort ?? openSystemSerialPort;
    this.#reconnector = new Reconnector(
      this.#runtime,
      () => this.#open(openPort, root),
      (error) => explainSerialOpenError(error, config.path, root),
      deps.backoff,
    );
  }

  start(): Promise<void> {
    return this.#reconnector.start();
  }

  stop(): Promise<void> {
    return this.#reconnector.stop();
  }

  status(): ReaderStatus {
    return this.#runtime.status();
  }

  async #open(openPort: OpenSerialPort, root: string): Promise<DeviceSession> {
    const { path, baudRate } = this.config;
    const port = openPort({ path, baudRate });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(error) : resolve())),
    );
    const conflict = serialConsoleConflict(path, root);
    if (conflict)
      this.#runtime.warnRepeated({ problem: conflict }, "serial console on the reader's port");
    let finish: (reason: string) => void = () => {};
    const closed = new Promise<string>((resolve) => {
      finish = (reason) => {
        this.#runtime.handle(this.#parser.reset());
        resolve(reason);
      };
    });
    port.on("data", (chunk: Buffer) => {
      this.#runtime.count("bytesReceived", chunk.length);
      this.#runtime.handle(this.#parser.push(chunk));
    });
    port.on("close", (error?: (Error & { disconnected?: boolean }) | null) =>
      finish(
        error?.disconnected
          ? `serial device ${path} was disconnected (unplugged?); waiting for it to come back`
          : `serial device ${path} was closed`,
      ),
    );
    port.on("error", (error: Error) => {
      finish(`serial device ${path} failed: ${error.message}`);
      if (port.isOpen) port.close();
    });
    return {
      closed,
      warning: serialConsoleConflict(path, root),
      close: () =>
        new Promise<void>((resolve) => {
          if (!port.isOpen) resolve();
          else port.close(() => resolve());
        }),
    };
  }
}
