import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import type { SpawnFn } from "../../src/gpio/run-tool.js";

/**
 * A stand-in for child_process.spawn that records every command line and lets the test play the
 * child's part: print, exit, or fail to start.
 */

export class FakeChild extends EventEmitter {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly killSignals: string[] = [];

  constructor(
    readonly command: string,
    readonly args: string[],
  ) {
    super();
  }

  get running(): boolean {
    return this.exitCode === null && this.signalCode === null;
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): boolean {
    this.killSignals.push(signal);
    if (this.running) setImmediate(() => this.exit(null, signal));
    return true;
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (!this.running) return;
    this.exitCode = code;
    this.signalCode = signal;
    this.stdout.end();
    this.stderr.end();
    this.emit("exit", code, signal);
    setImmediate(() => this.emit("close", code, signal));
  }

  /** Prints and exits, as a short-lived tool does. */
  finish(stdout: string, code = 0): void {
    setImmediate(() => {
      this.stdout.write(stdout);
      setImmediate(() => this.exit(code));
    });
  }

  /** Fails to start, as spawn does for a missing program. */
  notFound(): void {
    setImmediate(() => {
      const error = Object.assign(new Error(`spawn ${this.command} ENOENT`), { code: "ENOENT" });
      this.emit("error", error);
      this.exitCode = -2;
      this.emit("close", -2, null);
    });
  }
}

export type ChildScript = (child: FakeChild) => void;

export function fakeSpawn(script: ChildScript): { spawn: SpawnFn; children: FakeChild[] } {
  const children: FakeChild[] = [];
  const spawn = ((command: string, args: readonly string[] = []) => {
    const child = new FakeChild(command, [...args]);
    children.push(child);
    script(child);
    return child as unknown as ChildProcess;
  }) as unknown as SpawnFn;
  return { spawn, children };
}

/** Lets queued child events (setImmediate) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A script for a Pi with libgpiod tools of the given version; gpiodetect/gpioinfo print nothing. */
export function gpiodTools(versionLine: string): ChildScript {
  return (child) => {
    if (child.args.includes("--version")) child.finish(`${versionLine}\n`);
    else if (child.command === "gpiodetect" || child.command === "gpioinfo") child.finish("");
    else if (child.args.includes("--mode=exit") || child.args.includes("--toggle=0"))
      child.finish("");
  };
}

export const noTools: ChildScript = (child) => child.notFound();
