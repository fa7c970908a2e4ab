import type { ChildProcess } from "node:child_process";
import type { Logger } from "../core/logger.js";
import {
  errorOf,
  type GpioBackend,
  type GpioInput,
  type GpioOutput,
  type InputRequest,
  levelOf,
  type OutputRequest,
} from "./backend.js";
import {
  type GpiodVersion,
  gpiomonArgs,
  gpiosetArgs,
  type LineRequest,
  parseGpiodVersion,
  parseGpiomonLine,
} from "./gpiod-text.js";
import type { ResolvedPin } from "./resolve.js";
import { collectTail, runTool, type SpawnFn } from "./run-tool.js";

/**
 * GPIO through libgpiod's command-line tools, for images without legacy sysfs GPIO. A line stays
 * driven only while a gpioset holds it, so each output keeps one gpioset running at its level and
 * replaces it on change; the old one must have exited first, or the new one finds the line busy.
 */

export const CONSUMER = "timeclock";

export class GpiodUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GpiodUnavailableError";
  }
}

/** Asks `gpioset --version` which argument style to use. */
export async function detectGpiodVersion(spawn: SpawnFn): Promise<GpiodVersion> {
  const result = await runTool(spawn, "gpioset", ["--version"]);
  if (!result) {
    throw new GpiodUnavailableError(
      "gpioset is not installed; install libgpiod's tools (apt-get install gpiod) or choose another feedback.backend",
    );
  }
  const version = parseGpiodVersion(`${result.stdout}\n${result.stderr}`);
  if (!version) {
    throw new GpiodUnavailableError(
      `gpioset --version printed ${JSON.stringify(result.stdout.slice(0, 80))}, which names no libgpiod version; expected e.g. "gpioset (libgpiod) v1.6.3"`,
    );
  }
  return version;
}

function lineOf(pin: ResolvedPin, name: string): LineRequest {
  if (!pin.chip) {
    throw new GpiodUnavailableError(
      `the ${name} pin BCM ${pin.bcm} has no character-device chip (only legacy sysfs knows it); use feedback.backend "sysfs"`,
    );
  }
  return { chip: pin.chip, offset: pin.offset, consumer: CONSUMER };
}

function exitReason(tool: string, code: number | null, signal: string | null, stderr: string) {
  const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
  return `${tool} ${how}${stderr ? `: ${stderr}` : ""}`;
}

class GpiosetOutput implements GpioOutput {
  #desired: 0 | 1;
  #child: ChildProcess | undefined;
  #replacing = false;
  #dead = false;
  #closing: (() => void) | undefined;

  constructor(
    private readonly spawn: SpawnFn,
    private readonly version: GpiodVersion,
    private readonly request: OutputRequest,
    private readonly line: LineRequest,
  ) {
    this.#desired = levelOf(false, request.activeLow);
    this.#start();
  }

  write(on: boolean): void {
    if (this.#dead || this.#closing) return;
    const level = levelOf(on, this.request.activeLow);
    if (level === this.#desired) return;
    this.#desired = level;
    this.#replace();
  }

  close(): Promise<void> {
    if (this.#dead || !this.#child) {
      this.#dead = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#closing = resolve;
      this.#desired = levelOf(false, this.request.activeLow);
      this.#replace();
    });
  }

  #replace(): void {
    if (this.#replacing || !this.#child) return;
    this.#replacing = true;
    this.#child.kill("SIGTERM");
  }

  #start(): void {
    const level = this.#desired;
    const args = this.#closing
      ? this.#oneShotArgs(level)
      : gpiosetArgs(this.version, this.line, level);
    let child: ChildProcess;
    try {
      child = this.spawn("gpioset", args, { stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      this.#fail(errorOf(error));
      return;
    }
    this.#child = child;
    const stderr = collectTail(child, "stderr");
    child.on("error", (error) => this.#fail(error));
    // "close", not "exit": only then has the tool's stderr been read to the end.
    child.on("close", (code, signal) => {
      if (this.#child !== child) return;
      this.#child = undefined;
      if (this.#replacing) {
        this.#replacing = false;
        this.#start();
        return;
      }
      if (this.#closing) {
        this.#dead = true;
        this.#closing();
        return;
      }
      this.#fail(new Error(exitReason("gpioset", code, signal, stderr())));
    });
  }

  /** Sets the level and exits at once, so that closing leaves the output off. */
  #oneShotArgs(level: 0 | 1): string[] {
    const held = gpiosetArgs(this.version, this.line, level);
    return this.version.major >= 2 ? ["--toggle=0", ...held] : ["--mode=exit", ...held.slice(1)];
  }

  #fail(error: Error): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#child = undefined;
    this.#closing?.();
    this.request.onFault(
      new Error(
        `GPIO output ${this.request.name} (${this.line.chip} line ${this.line.offset}): ${error.message}`,
      ),
    );
  }
}

class GpiomonInput implements GpioInput {
  #child: ChildProcess | undefined;
  #closed = false;

  constructor(spawn: SpawnFn, version: GpiodVersion, request: InputRequest, line: LineRequest) {
    const bias = request.activeLow ? "pull-up" : "pull-down";
    const child = spawn("gpiomon", gpiomonArgs(version, line, bias), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    const stderr = collectTail(child, "stderr");
    let pending = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const text of lines) {
        const edge = parseGpiomonLine(text);
        if (edge) request.onChange((edge === "rising") !== request.activeLow);
      }
    });
    const fail = (message: string) => {
      if (this.#closed || this.#child !== child) return;
      this.#child = undefined;
      request.onFault(
        new Error(`GPIO input ${request.name} (${line.chip} line ${line.offset}): ${message}`),
      );
    };
    child.on("error", (error) => fail(error.message));
    child.on("close", (code, signal) => fail(exitReason("gpiomon", code, signal, stderr())));
  }

  close(): Promise<void> {
    this.#closed = true;
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }
}

export class GpiodBackend implements GpioBackend {
  readonly name = "gpiod" as const;
  readonly detail: string;

  constructor(
    private readonly spawn: SpawnFn,
    readonly version: GpiodVersion,
    private readonly logger: Logger,
  ) {
    this.detail = `libgpiod tools ${version.text}`;
  }

  openOutput(request: OutputRequest): GpioOutput {
    const line = lineOf(request.pin, request.name);
    this.logger.debug({ output: request.name, ...line }, "holding GPIO output with gpioset");
    return new GpiosetOutput(this.spawn, this.version, request, line);
  }

  openInput(request: InputRequest): GpioInput {
    const line = lineOf(request.pin, request.name);
    this.logger.debug({ input: request.name, ...line }, "watching GPIO input with gpiomon");
    return new GpiomonInput(this.spawn, this.version, request, line);
  }
}

export async function createGpiodBackend(spawn: SpawnFn, logger: Logger): Promise<GpiodBackend> {
  return new GpiodBackend(spawn, await detectGpiodVersion(spawn), logger);
}
