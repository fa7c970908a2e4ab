import { spawn } from "node:child_process";
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { prepareDataDir } from "./data-dir.js";
import { classifyStorageError, StoreError } from "./faults.js";

/**
 * One timeclock process per data directory: an exclusive flock(2) on a lock file in it, held for
 * the life of the daemon (or of a restore or recover). The kernel drops the lock when the process
 * dies however it dies, so a stale lock cannot exist and a reused pid cannot look alive.
 *
 * Node has no flock. util-linux `flock` (essential on every Debian system) is run on the lock file's
 * open file description, passed to it as fd 3: a flock belongs to the open file description, not
 * to the process that took it, so it stays held by this process after the child exits, and the
 * descriptor is close-on-exec, so no other child inherits it.
 */

export const LOCK_FILE = "timeclock.lock";

/** How long a starting daemon waits for the lock: a status probe holds it for milliseconds. */
const ACQUIRE_WAIT_SECONDS = 1;
/** flock's exit status when the lock is taken, chosen apart from its own error statuses. */
const CONFLICT = 10;

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function lockPath(dataDir: string): string {
  return join(dataDir, LOCK_FILE);
}

function flock(fd: number, args: string[]): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn("flock", ["--conflict-exit-code", String(CONFLICT), ...args, "3"], {
      stdio: ["ignore", "ignore", "pipe", fd],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new StoreError(
          error.code === "ENOENT"
            ? "the flock command (util-linux) is missing; install it: sudo apt install util-linux"
            : `cannot run flock: ${error.message}`,
        ),
      ),
    );
    child.once("close", (code) => {
      if (code === 0) resolve(true);
      else if (code === CONFLICT) resolve(false);
      else reject(new StoreError(`flock failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

/** Who holds the lock, as its holder wrote it: "pid 1234 (run) since 2026-...". */
function holder(path: string): string {
  try {
    const text = readFileSync(path, "utf8").trim();
    return text ? ` (${text})` : "";
  } catch {
    return "";
  }
}

/**
 * Takes the data directory for this process, or fails with exit code 75 naming the holder.
 * `purpose` is recorded for the next one who finds it taken ("run", "restore", "recover").
 */
export async function lockDataDir(dataDir: string, purpose: string): Promise<DataDirLock> {
  prepareDataDir(dataDir);
  const path = lockPath(dataDir);
  let fd: number;
  try {
    fd = openSync(path, "a+", 0o640);
  } catch (error) {
    throw (
      classifyStorageError(error, dataDir, path) ??
      new StoreError(`cannot open the lock file ${path}: ${(error as Error).message}`)
    );
  }
  let locked: boolean;
  try {
    locked = await flock(fd, ["--exclusive", "--wait", String(ACQUIRE_WAIT_SECONDS)]);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!locked) {
    closeSync(fd);
    throw new StoreError(
      `another timeclock process holds the data directory ${dataDir}${holder(path)}: a running daemon (sudo systemctl stop timeclock, or end the other timeclock run), a restore or a recover. Only one may use a data directory at a time`,
      "busy",
    );
  }
  try {
    ftruncateSync(fd, 0);
    writeSync(fd, `pid ${process.pid} (${purpose}) since ${new Date().toISOString()}\n`, 0);
  } catch {
    // Only a courtesy for whoever finds the directory taken; a full disk is reported by the database.
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      closeSync(fd);
    },
  };
}

/**
 * Whether a timeclock process holds the data directory now. It asks for a shared lock without
 * waiting and lets go at once, so it never keeps a daemon from starting for more than a moment.
 */
export async function isDataDirLocked(dataDir: string): Promise<boolean> {
  let fd: number;
  try {
    fd = openSync(lockPath(dataDir), "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  try {
    return !(await flock(fd, ["--shared", "--nonblock"]));
  } finally {
    closeSync(fd);
  }
}
