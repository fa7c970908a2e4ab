import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { databasePath } from "../src/store/database.js";
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
  /** Starts this cycle's faults, if any; the returned function ends them (before the kill). */
  start(run: number): () => Promise<void>;
  /** What was injected, for the soak's last line. */
  summary(): string;
  /** Unmounts the tmpfs. */
  close(): void;
}

function mountTmpfs(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return "not root";
  const result = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${TMPFS_SIZE}`, "tmpfs", dir], {
    encoding: "utf8",
  });
  if (result.error) return result.error.message;
  return result.status === 0 ? undefined : result.stderr.trim();
}

function fill(dir: string): string {
  const path = join(dir, "soak-filler");
  const fd = openSync(path, "w");
  try {
    const chunk = Buffer.alloc(256 * 1024);
    const { bavail, bsize } = statfsSync(dir);
    for (let left = bavail * bsize; left > chunk.length; ) left -= writeSync(fd, chunk);
    for (;;) writeSync(fd, chunk, 0, 512);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

export function storageFaults(root: string, random: () => number): StorageFaults {
  const mountPoint = join(root, "data-tmpfs");
  mkdirSync(mountPoint);
  const problem = mountTmpfs(mountPoint);
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
  const fillDisk = (): (() => Promise<void>) => {
    counts.full++;
    const filler = fill(mountPoint);
    return async () => rmSync(filler, { force: true });
  };

  return {
    dataDir,
    start(run) {
      const ends: (() => Promise<void>)[] = [];
      if (random() < SHARE) ends.push(holdLock());
      if (problem === undefined && (run === 1 || random() < SHARE)) ends.push(fillDisk());
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
