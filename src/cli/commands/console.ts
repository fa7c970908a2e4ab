import type { Command } from "commander";
import { read } from "read";
import { passwordProblem, SCRYPT_COST, setConsolePassword } from "../../admin/index.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";

/** The first line of a piped standard input, without its line end. */
export async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/, 1)[0] ?? "";
}

/**
 * The new password: typed twice without echo on a terminal, else the first line of standard
 * input (for scripts: `printf '%s\n' "$PASSWORD" | timeclock console password`). Never an
 * argument, where every local user could read it in the process list and the shell's history.
 */
async function newPassword(context: CliContext): Promise<string> {
  const input = context.stdin ?? process.stdin;
  if (!(input as { isTTY?: boolean }).isTTY) return firstLine(input);
  const ask = (prompt: string) =>
    read({ prompt, silent: true, replace: "", input, output: context.stderr });
  const first = await ask("new console password: ");
  const problem = passwordProblem(first);
  if (problem) throw new CommandError(problem, ExitCode.usage);
  if ((await ask("the same again: ")) !== first) {
    throw new CommandError("the two passwords differ; nothing was changed", ExitCode.usage);
  }
  return first;
}

export function registerConsoleCommands(program: Command, context: CliContext): void {
  const consoleCommand = program.command("console").description(describeCommand("console"));

  consoleCommand
    .command("password")
    .description(
      `set the console's admin password: typed twice without echo on a terminal, or the first line of standard input; never an argument. Stored as a slow hash (scrypt N=${SCRYPT_COST.N}, r=${SCRYPT_COST.r}, p=${SCRYPT_COST.p}, random salt), never as text; console sessions opened with an old password end. Run it as the service user: sudo -u timeclock timeclock console password`,
    )
    .action(async (_options, command: Command) => {
      const password = await newPassword(context);
      await withStore(command, context, "create", async ({ deps }) => {
        const result = await setConsolePassword(deps, password);
        context.stdout.write(
          result.replaced
            ? "console password changed; sessions opened with the old one have ended\n"
            : "console password set; log in at the console's address (see README: Web console)\n",
        );
      });
    });
}
