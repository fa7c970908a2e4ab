import type { Command } from "commander";
import { z } from "zod";
import { maskedConfig } from "../../config/load.js";
import { configReferenceMarkdown } from "../../config/reference.js";
import { configSchema } from "../../config/schema.js";
import { type CliContext, loadConfigFor } from "../context.js";
import { renderJson } from "../output.js";

export function registerConfigCommands(program: Command, context: CliContext): void {
  const config = program
    .command("config")
    .description("validate the configuration and show its schema");

  config
    .command("check")
    .description("validate the config file and print the effective configuration, secrets masked")
    .action((_options, command: Command) => {
      const loaded = loadConfigFor(command, context);
      for (const warning of loaded.warnings) context.stderr.write(`warning: ${warning}\n`);
      context.stdout.write(`config ${loaded.path} is valid; effective configuration:\n`);
      context.stdout.write(renderJson(maskedConfig(loaded)));
    });

  config
    .command("reference")
    .description(
      "print the configuration reference (every key, its type, range and default) as Markdown",
    )
    .action(() => {
      context.stdout.write(`${configReferenceMarkdown()}\n`);
    });

  config
    .command("schema")
    .description("print the JSON Schema of the config file (keys, types, ranges, defaults)")
    .action(() => {
      context.stdout.write(renderJson(z.toJSONSchema(configSchema, { io: "input" })));
    });
}
