import { type Command, Option } from "commander";
import { read } from "read";
import {
  clearBadgePin,
  DIGIT_FORMS,
  type DigitForm,
  PIN_LENGTH,
  pinProblem,
  pinTarget,
  setBadgePin,
  unlockBadgePin,
} from "../../admin/index.js";
import { formatBadge } from "../../badges/badge-id.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { withStore } from "../admin-session.js";
import type { CliContext } from "../context.js";
import { firstLine } from "./console.js";

interface PinOptions {
  clear?: boolean;
  unlock?: boolean;
  digits?: DigitForm;
}

/**
 * The new PIN: typed twice without echo on a terminal, else the first line of standard input.
 * Never an argument, where every local user could read it in the process list.
 */
async function newPin(context: CliContext, whose: string): Promise<string> {
  const input = context.stdin ?? process.stdin;
  if (!(input as { isTTY?: boolean }).isTTY) return (await firstLine(input)).trim();
  const ask = (prompt: string) =>
    read({ prompt, silent: true, replace: "", input, output: context.stderr });
  const first = (await ask(`new PIN for ${whose}: `)).trim();
  const problem = pinProblem(first);
  if (problem) throw new CommandError(`${problem}; nothing was changed`, ExitCode.usage);
  if ((await ask("the same again: ")).trim() !== first) {
    throw new CommandError("the two PINs differ; nothing was changed", ExitCode.usage);
  }
  return first;
}

/** `timeclock badges pin BADGE`: the forgotten-badge PIN of a badge. */
export function registerPinCommand(badges: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);
  badges
    .command("pin")
    .description(
      `set the PIN with which the badge's owner taps on the kiosk's touch screen when the badge is forgotten (display.kiosk.pin.enabled): ${PIN_LENGTH.min} to ${PIN_LENGTH.max} digits, typed twice without echo on a terminal, or the first line of standard input; never an argument. Refuses PINs anyone tries first (0000, 1212, 1234, 9876). Kept as a slow hash (scrypt, random salt), never as text. A new PIN lifts a lockout after wrong PINs; --unlock lifts it and keeps the PIN; --clear removes the PIN. Kept in this terminal's database (in site mode: per door). Run it as the service user`,
    )
    .argument(
      "<badge>",
      "the badge, in any form that `badges add` accepts, or the login email of someone with one badge",
    )
    .option("--clear", "remove the badge's PIN: nobody can tap for it by PIN any more")
    .option("--unlock", "lift a lockout after wrong PINs, keeping the PIN")
    .addOption(
      new Option(
        "--digits <form>",
        "how to read a badge of 10 plain digits: dec10 (the number printed on the card) or hex10 (the canonical ID); see badges add --help",
      ).choices(DIGIT_FORMS),
    )
    .action(async (badge: string, options: PinOptions, command: Command) => {
      if (options.clear && options.unlock) {
        throw new CommandError("give --clear or --unlock, not both", ExitCode.usage);
      }
      const target = { badge, ...(options.digits ? { digits: options.digits } : {}) };
      await withStore(command, context, "create", async ({ deps }) => {
        if (options.clear || options.unlock) {
          const change = options.clear ? clearBadgePin(deps, target) : unlockBadgePin(deps, target);
          const shown = `${formatBadge(change.badge)} (${change.badge.email})`;
          out(
            options.clear
              ? `removed the PIN of badge ${shown}${change.wasLocked ? "; it was locked" : ""}\n`
              : change.wasLocked
                ? `unlocked the PIN of badge ${shown}\n`
                : `the PIN of badge ${shown} was not locked; its wrong tries are forgotten\n`,
          );
          return;
        }
        const mapping = pinTarget(deps, target);
        const pin = await newPin(context, `${formatBadge(mapping)} (${mapping.email})`);
        const result = await setBadgePin(deps, { ...target, pin });
        const shown = `${formatBadge(result.badge)} (${result.badge.email})`;
        out(
          `${result.replaced ? "changed" : "set"} the PIN of badge ${shown}${result.wasLocked ? "; its lockout is lifted" : ""}\n`,
        );
        if (!deps.config.display.kiosk.pin.enabled) {
          context.stderr.write(
            'note: display.kiosk.pin.enabled is false: nobody can tap by PIN until it is true (with display.type "kiosk")\n',
          );
        }
      });
    });
}
