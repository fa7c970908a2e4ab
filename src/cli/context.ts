import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from "../config/load.js";
import type { Clock } from "../core/clock.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../core/logger.js";
import type { I2cLink } from "../display/i2c.js";

/** What every command gets from outside, so that tests can run commands in-process. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Standard input of commands that read it (`console password`); process.stdin unless given. */
  stdin?: NodeJS.ReadableStream;
  /** The system clock unless a test drives time. */
  clock?: Clock;
  /** /dev/i2c-N through i2c-bus unless a test brings a fake bus (`display test`). */
  openI2cBus?: (bus: number) => Promise<I2cLink>;
}

export interface GlobalOptions {
  config: string;
}

/** Options of this command merged with the program's (`--config`). */
export function optionsOf<T extends object>(command: Command): T & GlobalOptions {
  return command.optsWithGlobals<T & GlobalOptions>();
}

export function loadConfigFor(command: Command, context: CliContext): LoadedConfig {
  const { config } = optionsOf(command);
  return loadConfig(config ?? DEFAULT_CONFIG_PATH, context.env);
}

/**
 * The logger of an admin command: silent unless TIMECLOCK_LOG_LEVEL asks for lines, and then on
 * stderr, so that stdout stays the command's own output.
 */
export function commandLogger(context: CliContext, loaded: LoadedConfig): Logger {
  const wanted = context.env.TIMECLOCK_LOG_LEVEL;
  const level = LOG_LEVELS.find((name) => name === wanted) ?? ("silent" satisfies LogLevel);
  return createLogger({ level, redactBadges: loaded.config.log.redactBadges }, context.stderr);
}

/**
 * How to run this program again, for messages that give a whole command line: the installed
 * wrapper (/opt/timeclock/bin/timeclock) when this runs from an install, else node and the script.
 */
export function selfCommand(argv: readonly string[] = process.argv): string {
  const script = argv[1];
  if (script === undefined) return "timeclock";
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    return "timeclock";
  }
  const wrapper = join(dirname(real), "..", "..", "bin", "timeclock");
  return existsSync(wrapper) ? wrapper : `${process.execPath} ${real}`;
}
