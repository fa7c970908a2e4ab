#!/usr/bin/env node
import { existsSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ExitCode } from "../core/exit-codes.js";
import { commandNameIn } from "./command-registry.js";
import type { CliContext } from "./context.js";

/**
 * The program's entry (package.json's bin, the unit's wrapper). It loads as little as it can
 * before it knows the command: `timeclock run` loads the build's one-file bundle of the run path
 * (dist/bundle/run.js, made by scripts/bundle-run.mjs), since Node's ESM loader spends more on
 * each of the ~350 separate modules than on their code; every other command loads the modules
 * as tsc wrote them (./program.js), where a few hundred milliseconds do not matter.
 */

type Program = typeof import("./program.js");

const RUN_BUNDLE = new URL("../bundle/run.js", import.meta.url);

async function programFor(argv: readonly string[]): Promise<Program> {
  // Without the bundle (a build by tsc alone) run works as well, only starts slower.
  if (commandNameIn(argv) === "run" && existsSync(RUN_BUNDLE)) {
    return (await import(RUN_BUNDLE.href)) as Program;
  }
  return import("./program.js");
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

/**
 * A reader that stops early (`timeclock queue | head`) closes the pipe: the rest of the output is
 * not wanted, so an admin command ends quietly instead of with a stack trace. `run` keeps Node's
 * default, an error, so that a service whose log went away is restarted rather than ended.
 */
function endQuietlyOnClosedPipe(argv: readonly string[]): void {
  if (commandNameIn(argv) === "run") return;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? ExitCode.ok);
  });
}

if (isEntryPoint()) {
  const argv = process.argv.slice(2);
  endQuietlyOnClosedPipe(argv);
  const context: CliContext = { env: process.env, stdout: process.stdout, stderr: process.stderr };
  const { runCli } = await programFor(argv);
  process.exitCode = await runCli(argv, context);
}
