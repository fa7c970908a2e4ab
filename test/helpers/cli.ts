import { PassThrough, Readable } from "node:stream";
import { runCli } from "../../src/cli/program.js";
import type { Clock } from "../../src/core/clock.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One `timeclock` command line run in-process, with what it printed on stdout and stderr. */
export async function runCaptured(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; clock?: Clock; stdin?: string } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on("data", (chunk) => out.push(String(chunk)));
  stderr.on("data", (chunk) => err.push(String(chunk)));
  const code = await runCli(argv, {
    env: options.env ?? {},
    stdout,
    stderr,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.stdin !== undefined ? { stdin: Readable.from([options.stdin]) } : {}),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}
