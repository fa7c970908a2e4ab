import { collectTail, type SpawnChild, spawnChild, stopChild } from "./child-process.js";
import type { HidReaderConfig } from "./config-schema.js";
import { explainGrabFailure, HID_GRAB_SCRIPT } from "./hid-grab.js";
import { InputEventDecoder, type RecordSize, recordSizeForArch } from "./input-events.js";
import { LineDecoder } from "./line-parser.js";
import type { Reader, ReaderStatus } from "./reader.js";
import { type ReaderDeps, ReaderRuntime } from "./reader-status.js";
import { type Backoff, type DeviceSession, Reconnector } from "./reconnector.js";
import { findDeviceHolders } from "./serial-diagnostics.js";

export interface HidReaderDeps extends ReaderDeps {
  spawn?: SpawnChild;
  fsRoot?: string;
  backoff?: Backoff;
}

class GrabFailed extends Error {}

/** A keyboard-style USB reader, grabbed exclusively through its input event device. */
export class HidReader implements Reader {
  readonly #runtime: ReaderRuntime;
  readonly #reconnector: Reconnector;
  readonly #lines: LineDecoder;

  constructor(
    private readonly config: HidReaderConfig,
    private readonly deps: HidReaderDeps,
  ) {
    this.#runtime = new ReaderRuntime(deps, { type: "hid", device: config.path });
    this.#lines = new LineDecoder(config.format);
    this.#reconnector = new Reconnector(
      this.#runtime,
      () => this.#open(),
      (error) =>
        error instanceof GrabFailed
          ? error.message
          : `cannot read input device ${config.path}: ${String(error)}`,
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

  #open(): Promise<DeviceSession> {
    const path = this.config.path;
    const child = (this.deps.spawn ?? spawnChild)("python3", ["-c", HID_GRAB_SCRIPT, path]);
    const stderr = collectTail(child.stderr);
    const ended = new Promise<string>((resolve) => {
      child.on("error", (error: NodeJS.ErrnoException) =>
        resolve(
          error.code === "ENOENT"
            ? `python3 is missing; the hid reader needs it to grab ${path}: run "sudo apt-get install python3-minimal"`
            : `cannot start the process reading ${path}: ${error.message}`,
        ),
      );
      child.on("close", () =>
        resolve(
          explainGrabFailure(path, stderr(), findDeviceHolders(path, this.deps.fsRoot ?? "/")),
        ),
      );
    });
    return new Promise<DeviceSession>((resolve, reject) => {
      let decoder: InputEventDecoder | undefined;
      child.stdout.on("data", (chunk: Buffer) => {
        let records = chunk;
        if (!decoder) {
          const childSize = chunk[0] ?? 0;
          decoder = new InputEventDecoder(this.#recordSize(childSize));
          records = chunk.subarray(1);
          resolve({
            closed: ended.then((reason) => {
              this.#runtime.handle(this.#lines.reset());
              return reason;
            }),
            warning: this.#sizeWarning(childSize),
            close: () => stopChild(child),
          });
        }
        this.#runtime.handle(this.#lines.push(decoder.push(records)));
      });
      ended.then((reason) => {
        if (!decoder) reject(new GrabFailed(reason));
      });
    });
  }

  /** The grabbing process's own ABI decides the record size, unless the config overrides it. */
  #recordSize(childSize: number): RecordSize {
    if (this.config.recordSize !== "auto") return this.config.recordSize;
    if (childSize === 16 || childSize === 24) return childSize;
    return recordSizeForArch(process.arch);
  }

  #sizeWarning(childSize: number): string | undefined {
    const used = this.#recordSize(childSize);
    if (childSize === used) return undefined;
    return `reading ${used}-byte input events, but the grabbing python3 uses ${childSize}-byte records: set reader.recordSize to ${childSize} (or "auto")`;
  }
}
