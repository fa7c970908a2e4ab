import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * What each part of the daemon costs in memory before it does anything: a fresh Node (with
 * --expose-gc, and the Node options of the unit if given) imports the daemon's modules one after
 * the other in the order `timeclock run` loads them, collecting garbage after each, and reports
 * its resident memory and V8 heap after every step. Each step's cost is what it adds to those
 * before it (a module that the previous ones already loaded costs nothing).
 */
export interface ModuleStep {
  /** What was imported at this step. */
  step: string;
  rssBytes: number;
  heapUsedBytes: number;
  /** The step's own time to load, in ms. */
  loadMs: number;
}

/** The order of `timeclock run`: CLI, config, logger, reader (opened early), daemon, later got. */
export const DAEMON_STEPS: readonly { step: string; module: string }[] = [
  { step: "commander (the CLI)", module: "commander" },
  { step: "zod (config and API schemas)", module: "zod" },
  { step: "config loading and its schema", module: "dist/config/load.js" },
  { step: "pino (the logger)", module: "dist/core/logger.js" },
  { step: "readers (serialport)", module: "dist/readers/create-reader.js" },
  { step: "run command, feedback, lock, systemd", module: "dist/cli/commands/run.js" },
  { step: "better-sqlite3 and the store", module: "dist/store/database.js" },
  { step: "luxon and pairing", module: "dist/pairing/pairing.js" },
  { step: "the daemon (terminal, sync, p-queue, control)", module: "dist/terminal/daemon.js" },
  { step: "got (loaded with the first request)", module: "got" },
];

const SCRIPT = `
const steps = JSON.parse(process.argv[1]);
const out = [];
const measure = (step, loadMs) => {
  globalThis.gc(); globalThis.gc();
  const m = process.memoryUsage();
  out.push({ step, rssBytes: m.rss, heapUsedBytes: m.heapUsed, loadMs });
};
measure("node alone", 0);
for (const { step, specifier } of steps) {
  const start = performance.now();
  await import(specifier);
  measure(step, performance.now() - start);
}
process.stdout.write(JSON.stringify(out));
`;

export function measureModuleCost(nodeOptions: readonly string[] = []): ModuleStep[] {
  const steps = DAEMON_STEPS.map(({ step, module }) => ({
    step,
    specifier: module.startsWith("dist/") ? pathToFileURL(resolve(module)).href : module,
  }));
  const output = execFileSync(
    process.execPath,
    [...nodeOptions, "--expose-gc", "--input-type=module", "--eval", SCRIPT, JSON.stringify(steps)],
    { encoding: "utf8", cwd: resolve(".") },
  );
  return JSON.parse(output) as ModuleStep[];
}
