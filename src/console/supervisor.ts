import { type ChildProcess, fork } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { ExitCode } from "../core/exit-codes.js";
import type { Logger } from "../core/logger.js";
import type { TerminalEvents } from "../terminal/events.js";
import type { ToConsole } from "./ipc.js";

/**
 * The console runs in a child process of the daemon: a crash, a leak or a flood of requests there
 * cannot stop, slow or lose a tap (BENCHMARKS.md has the measurements behind this choice). The
 * child runs at a lower CPU priority, so on a single-core Pi the tap path always goes first.
 */

/** nice value of the console process: the daemon (0) wins every contest for the CPU. */
export const CONSOLE_NICE = 10;

/** V8 heap limit of the console in MiB: a leak ends in a restart, not in the Pi swapping. */
export const CONSOLE_HEAP_MIB = 64;

const FIRST_RESTART_MS = 1_000;
const LONGEST_RESTART_MS = 60_000;
/** A console that ran this long before it stopped is restarted quickly again. */
const HEALTHY_RUN_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** Events not yet taken by the console beyond this are dropped: a stuck console loses events, never the daemon's memory. */
const MAX_UNSENT_EVENTS = 64;

export interface ConsoleSupervisorOptions {
  configPath: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  events: TerminalEvents;
  /** The child's entry module; dist/console/main.js by default. */
  entry?: string;
}

export interface ConsoleSupervisor {
  /** pid of the console process running now, if any. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export function superviseConsole(options: ConsoleSupervisorOptions): ConsoleSupervisor {
  const log = options.logger.child({ part: "console" });
  // Through the parent directory: this module also runs from the run bundle (dist/bundle/run.js),
  // which sits as deep under dist/ as dist/console/ does.
  const entry = options.entry ?? fileURLToPath(new URL("../console/main.js", import.meta.url));
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let delayMs = FIRST_RESTART_MS;
  let unsent = 0;
  let dropped = 0;

  const forward = options.events.subscribe((event) => {
    const running = child;
    if (!running?.connected) return;
    if (unsent >= MAX_UNSENT_EVENTS) {
      dropped++;
      return;
    }
    unsent++;
    const message: ToConsole = { type: "event", event };
    running.send(message, (error) => {
      unsent--;
      if (error) log.debug({ err: error }, "an event did not reach the console");
    });
  });

  const start = () => {
    const startedAt = Date.now();
    const process = fork(entry, ["--config", options.configPath], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: options.env,
      // A small young generation: pages are rendered and thrown away, and the Pi's memory is scarce.
      execArgv: [`--max-old-space-size=${CONSOLE_HEAP_MIB}`, "--max-semi-space-size=2"],
      serialization: "json",
    });
    child = process;
    unsent = 0;
    if (process.pid !== undefined) {
      try {
        setPriority(process.pid, CONSOLE_NICE);
      } catch (error) {
        log.warn({ err: error }, "could not lower the console's CPU priority");
      }
    }
    process.once("error", (error) => log.error({ err: error }, "console process failed"));
    process.once("exit", (code, signal) => {
      if (child === process) child = undefined;
      if (stopping) return;
      if (code === ExitCode.config) {
        log.error(
          { code },
          "console stopped: its configuration cannot work (see the line before); fix it and restart the terminal. Taps are read and booked meanwhile",
        );
        return;
      }
      const ranMs = Date.now() - startedAt;
      delayMs = ranMs >= HEALTHY_RUN_MS ? FIRST_RESTART_MS : delayMs;
      log.error(
        { code, signal, restartInMs: delayMs, droppedEvents: dropped },
        "console stopped unexpectedly; restarting it. Taps are read and booked meanwhile",
      );
      restartTimer = setTimeout(start, delayMs);
      restartTimer.unref();
      delayMs = Math.min(delayMs * 2, LONGEST_RESTART_MS);
    });
  };

  start();
  return {
    get pid() {
      return child?.pid;
    },
    async stop() {
      stopping = true;
      forward();
      clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      running.kill("SIGTERM");
      const killer = setTimeout(() => running.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}
