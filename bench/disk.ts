import { spawnSync } from "node:child_process";
import { closeSync, openSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * Real storage faults for the soak and the tests: a small tmpfs (a disk that can be filled, or
 * remounted read-only) and a filler. Only root may mount.
 */

/** Runs mount with `args`; why it failed, or undefined when it worked. */
export function mount(args: readonly string[]): string | undefined {
  const result = spawnSync("mount", args, { encoding: "utf8" });
  if (result.error) return result.error.message;
  return result.status === 0 ? undefined : result.stderr.trim() || `mount exited ${result.status}`;
}

/** Mounts a tmpfs of `size` (e.g. "48m") on `dir`; why it could not, or undefined. */
export function mountTmpfs(dir: string, size: string): string | undefined {
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root";
  return mount(["-t", "tmpfs", "-o", `size=${size},mode=0755`, "tmpfs", dir]);
}

/** Fills the filesystem holding `dir` up to the last byte with one file `name`; returns its path. */
export function fillDisk(dir: string, name = "filler"): string {
  const path = join(dir, name);
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
