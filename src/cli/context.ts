import type { Command } from "commander";
import { DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from "../config/load.js";

/** What every command gets from outside, so that tests can run commands in-process. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
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
