import { statSync } from "node:fs";
import type { Logger } from "../core/logger.js";
import type { Db } from "./database.js";

/**
 * When the daemon's connection moves the WAL into the database, instead of SQLite's automatic
 * checkpoint. That one runs inside the commit that crosses 1,000 WAL pages: about one tap in a
 * hundred waited for a checkpoint (copying every page, two more fsyncs), 6.7 ms on a journal of a
 * million taps against 0.3 ms for a tap alone. Here a tap never checkpoints: a passive checkpoint
 * runs once no tap came for `idleMs`, and a truncating one whenever the WAL grew past
 * `maxWalBytes` (a long drain, a burst of taps with no pause), so the file stays bounded.
 */
export interface WalPolicy {
  /** Quiet time after the last tap before a passive checkpoint, in ms. */
  idleMs: number;
  /** Above this size of the -wal file the next tick checkpoints and truncates it, in bytes. */
  maxWalBytes: number;
  /** How often the daemon looks, in ms. */
  tickMs: number;
}

export const DAEMON_WAL_POLICY: WalPolicy = {
  idleMs: 1000,
  maxWalBytes: 4 * 1024 * 1024,
  tickMs: 1000,
};

export type CheckpointRun = "none" | "passive" | "truncate";

export interface WalCheckpointsDeps {
  db: Db;
  /** The database file; its WAL is this path with "-wal". */
  path: string;
  logger: Logger;
  /** Monotonic milliseconds. */
  nowMs: () => number;
  policy?: WalPolicy;
}

export class WalCheckpoints {
  readonly #deps: WalCheckpointsDeps;
  readonly #policy: WalPolicy;
  #lastTapMs = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  /** Takes over checkpointing on this connection (its automatic checkpoint is turned off). */
  constructor(deps: WalCheckpointsDeps) {
    this.#deps = deps;
    this.#policy = deps.policy ?? DAEMON_WAL_POLICY;
    deps.db.pragma("wal_autocheckpoint = 0");
  }

  get policy(): WalPolicy {
    return this.#policy;
  }

  /** A tap was journalled: no passive checkpoint until it has been quiet for `idleMs`. */
  noteTap(): void {
    this.#lastTapMs = this.#deps.nowMs();
  }

  walBytes(): number {
    try {
      return statSync(`${this.#deps.path}-wal`).size;
    } catch {
      return 0;
    }
  }

  /** One look: what it ran. Errors are logged, not thrown: a tap must not fail for a checkpoint. */
  tick(): CheckpointRun {
    try {
      const run = this.#decide();
      if (run === "none") return run;
      const [row] = this.#deps.db.pragma(`wal_checkpoint(${run.toUpperCase()})`) as {
        busy: number;
        log: number;
        checkpointed: number;
      }[];
      if (row?.busy && run === "truncate") {
        // Another connection (the console, an admin command) is reading: the WAL cannot be reset
        // under it; the next tick tries again, and the file stops growing once the reader is done.
        this.#deps.logger.debug({ part: "store", ...row }, "WAL checkpoint could not truncate yet");
      }
      this.#failing = false;
      return run;
    } catch (error) {
      if (!this.#failing) {
        this.#deps.logger.warn(
          { part: "store", err: error },
          "WAL checkpoint failed; taps are still journalled in the WAL, and the next one tries again",
        );
      }
      this.#failing = true;
      return "none";
    }
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(), this.#policy.tickMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #decide(): CheckpointRun {
    if (this.walBytes() > this.#policy.maxWalBytes) return "truncate";
    // While idle, every tick: with nothing new in the WAL a passive checkpoint copies nothing, and
    // the sync's writes during a drain are moved a tick's worth at a time.
    const quiet = this.#deps.nowMs() - this.#lastTapMs >= this.#policy.idleMs;
    return quiet ? "passive" : "none";
  }
}
