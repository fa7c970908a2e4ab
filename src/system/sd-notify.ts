import type { Logger } from "../core/logger.js";
import { runCommand } from "./run-command.js";

/**
 * Readiness, status and watchdog messages to systemd (the sd_notify protocol).
 *
 * Node cannot send datagrams to the unix socket named by NOTIFY_SOCKET, so every message goes
 * through a short-lived `systemd-notify` child. The kernel stamps a datagram with its sender's
 * PID, which is the child's, not ours: `systemd-notify --pid` can only claim our PID with
 * CAP_SYS_ADMIN, which the unit drops. The unit therefore sets NotifyAccess=all, and
 * systemd-notify (systemd ≥ 246) waits until the manager has read the message, so the child is
 * still alive to be matched to our unit's cgroup.
 */
export interface SystemdNotifier {
  /** True when started by systemd with a notify socket; otherwise every call does nothing. */
  readonly enabled: boolean;
  /** How often to call watchdog(): half of WATCHDOG_USEC, if the watchdog is meant for this PID. */
  readonly watchdogIntervalMs: number | undefined;
  ready(status?: string): Promise<void>;
  watchdog(): Promise<void>;
  status(text: string): Promise<void>;
  stopping(): Promise<void>;
}

export type CommandRunner = (file: string, args: string[]) => Promise<void>;

export interface SystemdNotifierDeps {
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Runs systemd-notify; injectable for tests. Default: execFile with a timeout. */
  run?: CommandRunner;
  /** Our PID, compared with WATCHDOG_PID; injectable for tests. Default: process.pid. */
  pid?: number;
}

const NOTIFY_COMMAND = "systemd-notify";
const NOTIFY_TIMEOUT_MS = 10_000;

/** Half of WATCHDOG_USEC in milliseconds, or undefined when the watchdog is off or for another PID. */
export function watchdogIntervalFrom(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = Number(env.WATCHDOG_USEC);
  if (!env.WATCHDOG_USEC || !Number.isInteger(usec) || usec <= 0) return undefined;
  // systemd sets WATCHDOG_PID so that children which inherit the environment do not take it as theirs.
  if (env.WATCHDOG_PID !== undefined && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Math.max(1, Math.floor(usec / 2000));
}

/** The protocol separates assignments by newlines, so a status must be one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

export function createSystemdNotifier(deps: SystemdNotifierDeps): SystemdNotifier {
  const socket = deps.env.NOTIFY_SOCKET;
  const enabled = socket !== undefined && socket !== "";
  const logger = deps.logger.child({ part: "sd-notify" });
  const run: CommandRunner =
    deps.run ??
    (async (file, args) => {
      await runCommand(file, args, { env: deps.env, timeoutMs: NOTIFY_TIMEOUT_MS });
    });
  const watchdogIntervalMs = enabled
    ? watchdogIntervalFrom(deps.env, deps.pid ?? process.pid)
    : undefined;

  async function send(assignments: string[]): Promise<void> {
    if (!enabled) return;
    try {
      await run(NOTIFY_COMMAND, assignments);
    } catch (error) {
      logger.warn(
        { err: error, notification: assignments.join(" "), notifySocket: socket },
        `${NOTIFY_COMMAND} failed; systemd may not see this state (check NotifyAccess=all in the unit)`,
      );
    }
  }

  if (enabled) logger.debug({ notifySocket: socket, watchdogIntervalMs }, "systemd notify on");

  return {
    enabled,
    watchdogIntervalMs,
    ready: (status) =>
      send(status === undefined ? ["READY=1"] : ["READY=1", `STATUS=${oneLine(status)}`]),
    watchdog: () => send(["WATCHDOG=1"]),
    status: (text) => send([`STATUS=${oneLine(text)}`]),
    stopping: () => send(["STOPPING=1"]),
  };
}
