import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPort } from "serialport";
import { silentLogger } from "../../src/core/logger.js";
import type { BadgeRead, ReaderStatus } from "../../src/readers/reader.js";
import { FakeClock } from "../fakes/clock.js";

/** Waits for a condition that an event will make true; the deadline only keeps a broken test from hanging. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  deadlineMs = 15_000,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > deadlineMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What a reader reported, and the deps that collect it. */
export function recorder() {
  const reads: BadgeRead[] = [];
  const statuses: ReaderStatus[] = [];
  const clock = new FakeClock("2026-03-02T07:00:00Z");
  return {
    reads,
    statuses,
    clock,
    deps: {
      logger: silentLogger(),
      clock,
      events: {
        onBadge: (read: BadgeRead) => reads.push(read),
        onStatus: (status: ReaderStatus) => statuses.push(status),
      },
      backoff: { initialMs: 20, maxMs: 100 },
    },
  };
}

/** A pair of linked pseudo-terminals: the reader opens `readerPath`, the test plays the device on `devicePath`. */
export class SocatPair {
  readonly dir = mkdtempSync(join(tmpdir(), "timeclock-socat-"));
  readonly readerPath = join(this.dir, "reader");
  readonly devicePath = join(this.dir, "device");
  #process: ChildProcess | undefined;
  #device: SerialPort | undefined;

  async start(): Promise<void> {
    const child = spawn(
      "socat",
      [`pty,raw,echo=0,link=${this.readerPath}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: "ignore" },
    );
    this.#process = child;
    await waitFor(
      () => existsSync(this.readerPath) && existsSync(this.devicePath),
      "socat's links",
    );
    const device = new SerialPort({ path: this.devicePath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      device.open((error) => (error ? reject(error) : resolve())),
    );
    this.#device = device;
  }

  async send(bytes: Buffer | string): Promise<void> {
    const device = this.#device;
    if (!device) throw new Error("socat is not running");
    await new Promise<void>((resolve, reject) =>
      device.write(bytes, (error) => (error ? reject(error) : device.drain(() => resolve()))),
    );
  }

  /** Like pulling the reader's USB plug: the pty pair goes away and its links are removed. */
  async kill(): Promise<void> {
    const child = this.#process;
    const device = this.#device;
    this.#process = undefined;
    this.#device = undefined;
    if (device?.isOpen) await new Promise<void>((resolve) => device.close(() => resolve()));
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    }
    await waitFor(() => !existsSync(this.readerPath), "socat to remove its links");
  }
}
