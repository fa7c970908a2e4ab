import { collectTail, type SpawnChild, spawnChild, stopChild } from "./child-process.js";
import type { WiegandReaderConfig } from "./config-schema.js";
import type { Reader, ReaderStatus } from "./reader.js";
import { type ReaderDeps, ReaderRuntime } from "./reader-status.js";
import { type Backoff, type DeviceSession, Reconnector } from "./reconnector.js";
import { gpiomonArguments, gpiomonMajor, parseGpiomonLine, WiegandFramer } from "./wiegand.js";

export interface WiegandReaderDeps extends ReaderDeps {
  spawn?: SpawnChild;
  backoff?: Backoff;
}

/**
 * Quiet time after the last edge before the frame in progress is decoded. Frames are split by
 * the kernel timestamps; this only bounds how long a finished frame waits to be noticed.
 */
const FLUSH_AFTER_MS = 60;

class GpiomonFailed extends Error {}

function explainGpiomon(config: WiegandReaderConfig, stderr: string): string {
  const where = `GPIO lines ${config.d0} (D0) and ${config.d1} (D1) on ${config.chip}`;
  if (/busy/i.test(stderr)) {
    return `${where} are in use by another program ("gpioinfo ${config.chip}" shows the consumer): stop it, or wire the reader to free lines`;
  }
  if (/permission denied/i.test(stderr)) {
    return `no permission to use ${where}: add the service user to the gpio group ("sudo usermod -aG gpio timeclock") and restart the service`;
  }
  if (/no such file|cannot find|not found|unable to open chip/i.test(stderr)) {
    return `GPIO chip ${config.chip} does not exist: "gpiodetect" lists the chips; set reader.chip to the one with the 40-pin header (gpiochip0, or gpiochip4 on a Pi 5 with an older kernel)`;
  }
  if (/invalid argument|out of range|offset/i.test(stderr)) {
    return `${where} do not exist on that chip: check reader.d0 and reader.d1 (BCM numbers, as "gpioinfo ${config.chip}" lists them)`;
  }
  const output = stderr.trim().split("\n").slice(-3).join(" | ") || "no output";
  return `gpiomon watching ${where} ended (${output})`;
}

/** A Wiegand 26 or 34 reader on two GPIO lines, watched by libgpiod's gpiomon. */
export class WiegandReader implements Reader {
  readonly #runtime: ReaderRuntime;
  readonly #reconnector: Reconnector;
  readonly #spawn: SpawnChild;

  constructor(
    private readonly config: WiegandReaderConfig,
    deps: WiegandReaderDeps,
  ) {
    this.#spawn = deps.spawn ?? spawnChild;
    this.#runtime = new ReaderRuntime(
      deps,
      { type: `wiegand${config.bits}`, device: `${config.chip}:${config.d0},${config.d1}` },
      config.repeatSuppressMs,
    );
    this.#reconnector = new Reconnector(
      this.#runtime,
      () => this.#open(),
      (error) => (error instanceof GpiomonFailed ? error.message : String(error)),
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

  async #gpiomonMajor(): Promise<1 | 2> {
    const probe = this.#spawn("gpiomon", ["--version"]);
    const stdout = collectTail(probe.stdout);
    const outcome = await new Promise<string | undefined>((resolve) => {
      probe.on("error", (error: NodeJS.ErrnoException) =>
        resolve(
          error.code === "ENOENT"
            ? 'gpiomon is missing; the wiegand reader needs it: run "sudo apt-get install gpiod"'
            : `cannot start gpiomon: ${error.message}`,
        ),
      );
      probe.on("close", () => resolve(undefined));
    });
    if (outcome) throw new GpiomonFailed(outcome);
    const major = gpiomonMajor(stdout());
    if (!major) {
      throw new GpiomonFailed(
        `cannot tell the libgpiod version from "gpiomon --version" (${JSON.stringify(stdout().trim())}); versions 1.x and 2.x are supported`,
      );
    }
    return major;
  }

  async #open(): Promise<DeviceSession> {
    const { chip, d0, d1, bits } = this.config;
    const major = await this.#gpiomonMajor();
    const args = gpiomonArguments(major, chip, { d0, d1 });
    // libgpiod 2.x has no line-buffering switch; stdbuf keeps each edge from waiting in a pipe buffer.
    const child =
      major === 1
        ? this.#spawn("gpiomon", args)
        : this.#spawn("stdbuf", ["-oL", "gpiomon", ...args]);
    const stderr = collectTail(child.stderr);
    const framer = new WiegandFramer(bits);
    let flushTimer: NodeJS.Timeout | undefined;
    let partial = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString("latin1")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (line.trim() === "") continue;
        const edge = parseGpiomonLine(line, { d0, d1 });
        if ("problem" in edge)
          this.#runtime.warnRepeated({ problem: edge.problem }, "gpiomon output");
        else this.#runtime.handle(framer.push(edge));
      }
      clearTimeout(flushTimer);
      flushTimer = setTimeout(() => this.#runtime.handle(framer.flush()), FLUSH_AFTER_MS);
    });
    const closed = new Promise<string>((resolve) => {
      child.on("error", (error) => resolve(`cannot start gpiomon: ${error.message}`));
      child.on("close", () => {
        clearTimeout(flushTimer);
        this.#runtime.handle(framer.flush());
        resolve(explainGpiomon(this.config, stderr()));
      });
    });
    return { closed, close: () => stopChild(child) };
  }
}
