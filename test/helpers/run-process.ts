import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const CLI = resolve("dist/cli/main.js");

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** `timeclock run` as a real process; keeps every byte it printed, and parses its log lines. */
export class RunProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  #stdout = "";
  #stderr = "";

  /** `nodeArgs` go to Node itself, before the CLI (such as the unit's TIMECLOCK_NODE_FLAGS). */
  constructor(configPath: string, env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []) {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    const inherited = { ...process.env };
    delete inherited.TIMECLOCK_LOG_LEVEL;
    delete inherited.TIMECLOCK_API_PASSWORD;
    this.child = spawn(process.execPath, [...nodeArgs, CLI, "run", "--config", configPath], {
      env: { ...inherited, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout?.on("data", (chunk: Buffer) => {
      this.#stdout += chunk.toString();
    });
    this.child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr += chunk.toString();
    });
    this.exited = new Promise((done) => this.child.once("exit", (code) => done(code)));
  }

  /** Everything the process printed, on both streams. */
  get output(): string {
    return this.#stdout + this.#stderr;
  }

  /** Complete stdout lines, each parsed as JSON (a line that is not JSON fails the test). */
  get lines(): LogLine[] {
    return this.#stdout
      .split("\n")
      .slice(0, -1)
      .map((line) => JSON.parse(line) as LogLine);
  }

  type(text: string): void {
    this.child.stdin?.write(text);
  }

  /** The first line that matches, polling what arrived so far; fails after `timeoutMs`. */
  async waitFor(what: string, predicate: (line: LogLine) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`timeclock run did not log ${what}; it printed:\n${this.output}`);
      }
      await sleep(25);
    }
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}
