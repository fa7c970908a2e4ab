#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { DEFAULT_CONFIG_PATH } from "../config/load.js";
import { CommandError, ExitCode } from "../core/exit-codes.js";
import { registerBadgeCommands } from "./commands/badges.js";
import { registerConfigCommands } from "./commands/config.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerDoctorCommands } from "./commands/doctor.js";
import { registerExportCommand } from "./commands/export.js";
import { registerGpioCommands } from "./commands/gpio.js";
import { registerQueueCommands } from "./commands/queue.js";
import { registerReviewCommands } from "./commands/review.js";
import { registerRunCommand } from "./commands/run.js";
import { registerServerCommands } from "./commands/server.js";
import { registerSimulatorCommands } from "./commands/simulator.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerStorageCommands } from "./commands/storage.js";
import type { CliContext } from "./context.js";

export function buildProgram(context: CliContext): Command {
  const program = new Command("timeclock")
    .description("Badge time clock terminal that books shifts into GoodTime")
    .option("-c, --config <path>", "config file", DEFAULT_CONFIG_PATH)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .exitOverride();
  registerRunCommand(program, context);
  registerDemoCommand(program, context);
  registerConfigCommands(program, context);
  registerBadgeCommands(program, context);
  registerStatusCommand(program, context);
  registerQueueCommands(program, context);
  registerReviewCommands(program, context);
  registerExportCommand(program, context);
  registerStorageCommands(program, context);
  registerServerCommands(program, context);
  registerSimulatorCommands(program, context);
  registerGpioCommands(program, context);
  registerDoctorCommands(program, context);
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  return program;
}

/** Runs one command line; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage;
    }
    if (error instanceof CommandError) {
      context.stderr.write(`timeclock: ${error.message}\n`);
      return error.exitCode;
    }
    context.stderr.write(
      `timeclock: unexpected error: ${(error as Error).stack ?? String(error)}\n`,
    );
    return ExitCode.failure;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) {
  const context: CliContext = { env: process.env, stdout: process.stdout, stderr: process.stderr };
  process.exitCode = await runCli(process.argv.slice(2), context);
}
