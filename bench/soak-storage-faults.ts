import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { databasePath } from "../src/store/database.js";
import { fillDisk, mountTmpfs } from "./disk.js";
import { randomInt } from "./random.js";

/**
 * Storage faults for the crash soak: another process's write lock held across a burst of taps,
 * and, where this machine lets root mount a tmpfs, a data directory on a small tmpfs that is
 * filled to the last byte during a burst. Taps the daemon cannot store are refused, not accepted,
 * so the soak's invariants must hold through both.
 */

const TMPFS_SIZE = "48m";
/** Share of cycles with each fault. */
const SHARE = 0.35;

export interface StorageFaults {
  /** Where the daemon's data directory goes: on the tmpfs when there is one. */
  readonly dataDir: string;
  /**
   * Starts this cycle's faults, if any; the returned function ends them (before the kill). A
   * spared cycle gets none, so that a soak whose draws all came up "disk full" still accepts taps.
   */
  start(run: number, spared: boolean): () => Promise<void>;
  /** What was injected, for the soak's last line. */
  summary(): string;
  /** Unmounts the tmpfs. */
  close(): void;
}

export function storageFaults(root: string, random: () => number): StorageFaults {
  const mountPoint = join(root, "data-tmpfs");
  mkdirSync(mountPoint);
  const problem = mountTmpfs(mountPoint, TMPFS_SIZE);
  const dataDir = problem === undefined ? join(mountPoint, "data") : join(root, "data");
  const counts = { lock: 0, full: 0 };

  const holdLock = (): (() => Promise<void>) => {
    counts.lock++;
    // A connection of this process, not the daemon's: to SQLite it is another process.
    const db = new Database(databasePath(dataDir));
    db.exec("BEGIN IMMEDIATE");
    const held = sleep(200 + randomInt(random, 1300)).then(() => {
      db.exec("COMMIT");
      db.close();
    });
    return () => held;
  };
  const fillUp = (): (() => Promise<void>) => {
    counts.full++;
    const filler = fillDisk(mountPoint, "soak-filler");
    return async () => rmSync(filler, { force: true });
  };

  return {
    dataDir,
    start(run, spared) {
      const ends: (() => Promise<void>)[] = [];
      if (spared) return async () => {};
      if (random() < SHARE) ends.push(holdLock());
      if (problem === undefined && (run === 1 || random() < SHARE)) ends.push(fillUp());
      return async () => {
        for (const end of ends) await end();
      };
    },
    summary: () =>
      `write lock held x${counts.lock}, ${problem === undefined ? `disk full x${counts.full}` : `no full disk (${problem})`}`,
    close() {
      if (problem === undefined) spawnSync("umount", ["-l", mountPoint]);
    },
  };
}
