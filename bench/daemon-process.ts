import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

const CLI = resolve("dist/cli/main.js");

export interface LogRecord {
  level: string;
  msg: string;
  [key: string]: unknown;
}

/** `timeclock run` as a real process, its JSON log lines collected as they arrive. */
export class DaemonProcess {
  readonly records: LogRecord[] = [];
  readonly stderr: string[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the process has exited and its output is read to the end. */
  readonly closed: Promise<void>;
  #waiters: { predicate: (r: LogRecord) => boolean; resolve: (r: LogRecord) => void }[] = [];

  /**
   * `nodeOptions` go to Node itself, e.g. ["--cpu-prof"] to see where the daemon spends its time;
   * `command` is what Node runs, `timeclock run` unless a benchmark brings its own host.
   */
  constructor(
    configPath: string,
    env: NodeJS.ProcessEnv = {},
    nodeOptions: readonly string[] = [],
    command: readonly string[] = [CLI, "run"],
  ) {
    this.child = spawn(process.execPath, [...nodeOptions, ...command, "--config", configPath], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffered = "";
    this.child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines.filter(Boolean)) this.#add(JSON.parse(line) as LogRecord);
    });
    this.child.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((done) =>
      this.child.once("exit", (code, signal) => done({ code, signal })),
    );
    this.closed = new Promise((done) => this.child.once("close", () => done()));
  }

  #add(record: LogRecord): void {
    this.records.push(record);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.predicate(record)) return true;
      waiter.resolve(record);
      return false;
    });
  }

  /** Resolves with the first log record (past or future) that matches; rejects after `timeoutMs`. */
  waitFor(
    predicate: (record: LogRecord) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<LogRecord> {
    const seen = this.records.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        const tail = this.records
          .slice(-10)
          .map((r) => JSON.stringify(r))
          .join("\n");
        fail(
          new Error(
            `daemon did not log ${what} within ${timeoutMs} ms; last lines:\n${tail}\n${this.stderr.join("")}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push({
        predicate,
        resolve: (record) => {
          clearTimeout(timer);
          done(record);
        },
      });
    });
  }

  async stop(
    signal: NodeJS.Signals = "SIGTERM",
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
