import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fixes, StoreError } from "./faults.js";

/**
 * Written beside the database when it is created: from then on a missing or empty database in
 * this directory means the journal was lost, not that this is a fresh install.
 */
export const IN_USE_MARKER = "timeclock.in-use";

const errno = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

function unusable(dir: string, why: string): StoreError {
  return new StoreError(
    `terminal.dataDir ${JSON.stringify(dir)} ${why}; set terminal.dataDir to a directory the timeclock user may write (default /var/lib/timeclock)`,
    "data-dir",
  );
}

function fault(dir: string, code: string, doing: string): StoreError {
  if (code === "EROFS") return new StoreError(`${fixes.readOnly(dir)} (${code})`, "read-only");
  if (code === "ENOSPC") return new StoreError(`${fixes.diskFull(dir)} (${code})`, "disk-full");
  if (code === "ENOTDIR") return unusable(dir, "lies below a file, not a directory");
  if (code === "EACCES" || code === "EPERM") {
    return new StoreError(
      `cannot ${doing} terminal.dataDir ${JSON.stringify(dir)} (${code}): ${fixes.noPermission(dir)}`,
      "data-dir",
    );
  }
  return unusable(dir, `cannot be used (${doing}: ${code})`);
}

/**
 * Node's recursive mkdir answers ENOENT where the kernel said EROFS or EACCES; asking the nearest
 * existing ancestor finds the real reason.
 */
function ancestorError(dir: string): string {
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    if (existsSync(parent)) {
      try {
        accessSync(parent, constants.W_OK | constants.X_OK);
        return "ENOENT";
      } catch (error) {
        return errno(error);
      }
    }
    if (parent === dirname(parent)) return "ENOENT";
  }
}

/** Makes sure `dir` is a writable directory, creating it if needed; names the fault if not. */
export function prepareDataDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw unusable(dir, "is a file, not a directory");
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (errno(error) !== "ENOENT") throw fault(dir, errno(error), "read");
    try {
      mkdirSync(dir, { recursive: true });
    } catch (made) {
      throw fault(dir, errno(made) === "ENOENT" ? ancestorError(dir) : errno(made), "create");
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw fault(dir, errno(error), "write");
  }
}

export function markerPath(dir: string): string {
  return join(dir, IN_USE_MARKER);
}

/** When the journal in `dir` was created, if this directory was ever in use. */
export function inUseSince(dir: string): string | undefined {
  try {
    const text = readFileSync(markerPath(dir), "utf8");
    return /created (\S+)/.exec(text)?.[1] ?? "an unknown time";
  } catch {
    return undefined;
  }
}

/** Writes the marker durably (file and directory entry); an existing marker is kept. */
export function markInUse(dir: string, now: Date): void {
  const path = markerPath(dir);
  if (existsSync(path)) return;
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    if (errno(error) === "EEXIST") return;
    throw error;
  }
  try {
    writeSync(
      fd,
      `timeclock journal created ${now.toISOString()}\nWhile this file exists, a missing or empty timeclock.db here is an error, not a fresh start.\nRemove it only to start a new, empty journal on purpose.\n`,
    );
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dir);
}

/** Makes a file's creation or rename in `dir` survive a power cut. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
