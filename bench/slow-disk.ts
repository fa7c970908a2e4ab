import { execFileSync, spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const SOURCE = resolve("bench/slow-fsync.c");
/** Set in the benchmark that runs on the slowed disk (and inherited by its daemons). */
export const SLOW_FSYNC_VARIABLE = "TIMECLOCK_SLOW_FSYNC_US";

/** The delay this process's fsyncs get, in ms, when it runs on the slowed disk; else undefined. */
export function slowFsyncMs(): number | undefined {
  const value = process.env[SLOW_FSYNC_VARIABLE];
  return value === undefined ? undefined : Number(value) / 1000;
}

/**
 * Runs this benchmark again with every fsync and fdatasync delayed by `delayMs` (bench/slow-fsync.c,
 * compiled with the system's C compiler and preloaded into it and the daemons it starts), and
 * returns its exit status.
 */
export function rerunOnSlowDisk(workDir: string, delayMs: number): number {
  const library = join(workDir, "slow-fsync.so");
  try {
    execFileSync("cc", ["-shared", "-fPIC", "-O2", "-o", library, SOURCE, "-ldl"], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch (error) {
    throw new Error(
      `--slow-fsync needs a C compiler to build ${SOURCE} (cc failed: ${(error as Error).message}); install one, e.g. apt-get install gcc`,
    );
  }
  const run = spawnSync(process.execPath, process.argv.slice(1), {
    stdio: "inherit",
    env: {
      ...process.env,
      LD_PRELOAD: library,
      [SLOW_FSYNC_VARIABLE]: String(Math.round(delayMs * 1000)),
    },
  });
  return run.status ?? 1;
}
