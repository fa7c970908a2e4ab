#!/usr/bin/env node
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { AdminError } from "../admin/index.js";
import { DEFAULT_CONFIG_PATH } from "../config/load.js";
import { CommandError, ExitCode, ExitStatus } from "../core/exit-codes.js";
import { reportAdminError } from "./admin-errors.js";
import { registerAuditCommand } from "./commands/audit.js";
import { registerBadgeCommands } from "./commands/badges.js";
import { registerConfigCommands } from "./commands/config.js";
import { registerConsoleCommands } from "./commands/console.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerDoctorCommands } from "./commands/doctor.js";
import { registerExportCommand } from "./commands/export.js";
import { registerGpioCommands } from "./commands/gpio.js";
import { registerQueueCommands } from "./commands/queue.js";
import { registerReviewCommands } from "./commands/review.js";
import { registerRunCommand } from "./commands/run.js";
import { registerServerCommands } from "./commands/server.js";
import { registerSimulatorCommands } from "./commands/simulator.js";
import { registerSiteCommands } from "./commands/site.js";
import { registerStatusCommand } from "./commands/status.js";
import { registerStorageCommands } from "./commands/storage.js";
import type { CliContext } from "./context.js";

/**
 * The version of the package this program belongs to: the nearest package.json named timeclock
 * above this file (dist/, an install under /opt/timeclock, or the benchmarks' build).
 */
export function programVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        version?: string;
      };
      if (name === "timeclock" && version) return version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}

/** `--version` works on the program and on every command, as admins type it where they are. */
function addVersionEverywhere(command: Command, version: string): void {
  command.version(`timeclock ${version}`, "-V, --version", "print the version and exit");
  for (const sub of command.commands) addVersionEverywhere(sub, version);
}

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
  registerSiteCommands(program, context);
  registerQueueCommands(program, context);
  registerReviewCommands(program, context);
  registerAuditCommand(program, context);
  registerExportCommand(program, context);
  registerStorageCommands(program, context);
  registerConsoleCommands(program, context);
  registerServerCommands(program, context);
  registerSimulatorCommands(program, context);
  registerGpioCommands(program, context);
  registerDoctorCommands(program, context);
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  addVersionEverywhere(program, programVersion());
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
    if (error instanceof ExitStatus) return error.exitCode;
    if (error instanceof CommandError) {
      context.stderr.write(`timeclock: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof AdminError) return reportAdminError(error, context.stderr);
    context.stderr.write(
      `timeclock: unexpected error: ${(error as Error).stack ?? String(error)}\n`,
    );
    return ExitCode.software;
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
