import { accessSync, constants, statfsSync } from "node:fs";
import { CommandError, ExitCode, NO_RESTART_EXIT_CODES } from "../core/exit-codes.js";

/**
 * What went wrong with the storage, named so that the daemon can pick an exit code systemd acts
 * on, the LEDs can show it, and the message can say the cause and the fix.
 */
export type StorageFault =
  | "busy"
  | "missing"
  | "damaged"
  | "read-only"
  | "disk-full"
  | "data-dir"
  | "too-new"
  | "other";

const EXIT_CODES: Record<StorageFault, ExitCode> = {
  busy: ExitCode.dataDirBusy,
  missing: ExitCode.databaseMissing,
  damaged: ExitCode.databaseDamaged,
  "read-only": ExitCode.readOnlyFilesystem,
  "disk-full": ExitCode.diskFull,
  "data-dir": ExitCode.dataDirUnusable,
  "too-new": ExitCode.databaseTooNew,
  other: ExitCode.storage,
};

export class StoreError extends CommandError {
  constructor(
    message: string,
    readonly fault: StorageFault = "other",
  ) {
    super(message, EXIT_CODES[fault]);
    this.name = "StoreError";
  }
}

/** What a restart of the daemon cannot fix: systemd must not restart it on these. */
export function isPermanent(fault: StorageFault): boolean {
  return NO_RESTART_EXIT_CODES.includes(EXIT_CODES[fault]);
}

const errno = (error: unknown): string | undefined => (error as { code?: string })?.code;

/** Whether the filesystem holding `dir` refuses writes, or has no room left. */
function probeDirectory(dir: string): "read-only" | "disk-full" | "no-permission" | undefined {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (errno(error) === "EROFS") return "read-only";
    if (errno(error) === "EACCES" || errno(error) === "EPERM") return "no-permission";
    return undefined;
  }
  try {
    if (statfsSync(dir).bavail === 0) return "disk-full";
  } catch {
    return undefined;
  }
  return undefined;
}

export const fixes = {
  readOnly: (dir: string) =>
    `the filesystem holding ${dir} is mounted read-only, so nothing can be journalled. The kernel does this by itself after SD card errors: check "dmesg | grep -i error", copy the journal off the card (timeclock backup --to /media/usb/timeclock.db), then remount it read-write (sudo mount -o remount,rw /) or replace the card and restore a backup (timeclock restore FILE)`,
  diskFull: (dir: string) =>
    `the disk holding ${dir} is full, so nothing can be journalled. Free space (sudo du -xh --max-depth=2 / | sort -h | tail; sudo journalctl --vacuum-size=50M) or move terminal.dataDir to a larger medium`,
  noPermission: (dir: string) =>
    `this user (uid ${process.getuid?.() ?? "?"}) may not write ${dir}; run: sudo chown -R timeclock:timeclock ${dir}`,
  damaged: (path: string) =>
    `stop the service (sudo systemctl stop timeclock), then salvage it into a new file with: timeclock recover (it keeps ${path} as it is), and install the result or a backup with: timeclock restore FILE`,
};

/**
 * Turns an error from SQLite or the filesystem about the database in `dir` into a StoreError that
 * names the fault, or undefined when it is none of the known ones.
 */
export function classifyStorageError(
  error: unknown,
  dir: string,
  path: string,
): StoreError | undefined {
  if (error instanceof StoreError) return error;
  const code = errno(error) ?? "";
  const detail = (error as Error)?.message ?? String(error);
  if (code === "SQLITE_FULL" || code === "ENOSPC") {
    return new StoreError(`${fixes.diskFull(dir)} (${code})`, "disk-full");
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return new StoreError(
      `database ${path} is damaged (${code}: ${detail}); ${fixes.damaged(path)}`,
      "damaged",
    );
  }
  if (code === "ENOTDIR") {
    return new StoreError(
      `terminal.dataDir ${JSON.stringify(dir)} is not a directory (${code}); set terminal.dataDir to a directory the timeclock user may write (default /var/lib/timeclock)`,
      "data-dir",
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new StoreError(
      `database ${path} is locked by another process holding its write lock (${code})`,
      "busy",
    );
  }
  const probed =
    code === "EROFS"
      ? "read-only"
      : code.startsWith("SQLITE_READONLY") ||
          code.startsWith("SQLITE_IOERR") ||
          code.startsWith("SQLITE_CANTOPEN") ||
          code === "EACCES"
        ? probeDirectory(dir)
        : undefined;
  if (probed === "read-only")
    return new StoreError(`${fixes.readOnly(dir)} (${code})`, "read-only");
  if (probed === "disk-full")
    return new StoreError(`${fixes.diskFull(dir)} (${code})`, "disk-full");
  if (probed === "no-permission" || code === "EACCES") {
    return new StoreError(
      `cannot write database ${path} (${code}): ${fixes.noPermission(dir)}`,
      "data-dir",
    );
  }
  return undefined;
}
