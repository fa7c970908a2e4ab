import { closeSync, openSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Fills the filesystem holding `dir` up to the last byte with one file; returns its path. */
export function fillDisk(dir: string): string {
  const path = join(dir, "filler");
  const fd = openSync(path, "w");
  try {
    const chunk = Buffer.alloc(64 * 1024);
    const free = statfsSync(dir);
    let left = free.bavail * free.bsize;
    while (left > chunk.length) left -= writeSync(fd, chunk);
    for (;;) writeSync(fd, chunk, 0, 512);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}
