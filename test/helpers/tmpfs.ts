import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { mount, mountTmpfs } from "../../bench/disk.js";

/**
 * Real storage faults for tests: a tmpfs that is tiny (a full disk) or remounted read-only. Only
 * root may mount; `tmpfsProblem` says why the tests that need it are skipped elsewhere.
 */

function probe(): string | undefined {
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root";
  const dir = mkdtempSync(join(tmpdir(), "timeclock-tmpfs-probe-"));
  try {
    const problem = mountTmpfs(dir, "64k");
    if (problem === undefined) spawnSync("umount", [dir]);
    return problem && `mount -t tmpfs is not permitted here (${problem})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why tmpfs tests cannot run on this machine, or undefined when they can. */
export const tmpfsProblem = probe();

export interface Tmpfs {
  dir: string;
  remountReadOnly(): void;
  remountReadWrite(): void;
}

/** A tmpfs of `size` (e.g. "256k") mounted on a fresh directory, unmounted when the test ends. */
export function tmpfs(size: string): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), "timeclock-tmpfs-"));
  const problem = mountTmpfs(dir, size);
  if (problem) throw new Error(`cannot mount a tmpfs on ${dir}: ${problem}`);
  // onTestFinished, not afterEach: a hook registered by a running test must end that test.
  onTestFinished(() => {
    spawnSync("umount", ["-l", dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const remount = (how: "ro" | "rw") => {
    const failed = mount(["-o", `remount,${how}`, dir]);
    if (failed) throw new Error(`cannot remount ${dir} ${how}: ${failed}`);
  };
  return {
    dir,
    remountReadOnly: () => remount("ro"),
    remountReadWrite: () => remount("rw"),
  };
}
