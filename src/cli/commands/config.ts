import type { Command } from "commander";
import * as z from "zod";
import { maskedConfig } from "../../config/load.js";
import { configReferenceMarkdown } from "../../config/reference.js";
import { configSchema } from "../../config/schema.js";
import { CommandError, ExitCode, ExitStatus } from "../../core/exit-codes.js";
import { judgeConfig } from "../../doctor/local-checks.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, loadConfigFor, selfCommand } from "../context.js";
import { renderJson } from "../output.js";

export function registerConfigCommands(program: Command, context: CliContext): void {
  const config = program.command("config").description(describeCommand("config"));

  config
    .command("check")
    .description(
      "validate the config file, print the effective configuration with secrets masked, and judge the API password as `doctor` does: exits 0 when all is well, 1 on a warning (a password readable by every user), 2 when the terminal could not book (no password this user can read: the fix names the line to run), 78 when the file is invalid",
    )
    .action((_options, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const judged = judgeConfig(loaded, selfCommand());
      context.stdout.write(`config ${loaded.path} is valid; effective configuration:\n`);
      context.stdout.write(renderJson(maskedConfig(loaded)));
      if (judged.status === "ok") {
        for (const warning of loaded.warnings) context.stderr.write(`warning: ${warning}\n`);
        return;
      }
      context.stderr.write(`${judged.status}: ${judged.finding}\nfix: ${judged.fix ?? ""}\n`);
      if (judged.status === "fail") {
        throw new CommandError(
          "the terminal cannot book with this configuration",
          ExitCode.critical,
        );
      }
      throw new ExitStatus(ExitCode.warning);
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
