import type { Config } from "../config/schema.js";
import type { ControlRequest } from "../control/protocol.js";
import type { Clock } from "../core/clock.js";
import type { Db } from "../store/database.js";

/** Whether the running daemon heard of a change; a change is committed either way. */
export type DaemonNote =
  | { told: true; detail: string }
  | { told: false; reason: "not-running" | "no-access" | "no-answer" | "refused"; detail: string };

/** The way to the running daemon: the control socket for the CLI, the same for the console. */
export interface DaemonLink {
  notify(request: ControlRequest): Promise<DaemonNote>;
}

/**
 * What every admin use case works with: an open store, the time, the configuration (defaults for
 * entries, the time zone) and the daemon to tell of changes once they are committed.
 */
export interface AdminDeps {
  db: Db;
  clock: Clock;
  config: Config;
  daemon: DaemonLink;
}
