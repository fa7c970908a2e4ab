import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { AdminError } from "../admin/errors.js";
import { DEFAULT_CONFIG_PATH } from "../config/paths.js";
import { CommandError, ExitCode, ExitStatus } from "../core/exit-codes.js";
import { reportAdminError } from "./admin-errors.js";
import { COMMAND_MODULES, commandNameIn } from "./command-registry.js";
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

/**
 * The program with every command listed; only the commands named in `load` (or all) are built by
 * their modules, the others are placeholders that carry the name, arguments and description for
 * `--help`. A command line needs only its own: see commandNameIn.
 */
export async function buildProgram(
  context: CliContext,
  load: "all" | string | null = "all",
): Promise<Command> {
  const program = new Command("timeclock")
    .description("Badge time clock terminal that books shifts into GoodTime")
    .option("-c, --config <path>", "config file", DEFAULT_CONFIG_PATH)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .exitOverride();
  for (const module of COMMAND_MODULES) {
    if (load === "all" || module.commands.some((command) => command.name === load)) {
      (await module.load())(program, context);
      continue;
    }
    for (const { name, args, description } of module.commands) {
      const placeholder = program.command(name).description(description);
      if (args) placeholder.arguments(args);
    }
  }
  for (const command of program.commands) command.exitOverride().showHelpAfterError();
  addVersionEverywhere(program, programVersion());
  return program;
}

/** Runs one command line; resolves to the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  const program = await buildProgram(context, commandNameIn(argv) ?? null);
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
