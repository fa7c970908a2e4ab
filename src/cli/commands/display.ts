import type { Command } from "commander";
import { systemClock } from "../../core/clock.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { DisplayTestError, runDisplayTest } from "../../display/display-test.js";
import { openI2cBus } from "../../display/i2c.js";
import { sampleScreens } from "../../display/samples.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, commandLogger, loadConfigFor } from "../context.js";
import { wholeNumberOption } from "../options.js";

/** Commands for the technician at the door: does the screen show what the terminal says? */

const CONNECT_SECONDS = 60;

export function registerDisplayCommands(program: Command, context: CliContext): void {
  const display = program.command("display").description(describeCommand("display"));

  display
    .command("test")
    .description(
      `draw every screen once on the configured display (${sampleScreens(new Date()).length} screens: idle, faults, clock-in, clock-out, too soon, no open shift, unknown badge, a function key, enrolment), each for --seconds, in terminal.locale; an LCD or OLED is switched off at the end. Stop the terminal first (sudo systemctl stop timeclock): it owns the display. For the kiosk page, the command serves the page itself and waits up to ${CONNECT_SECONDS} s for the kiosk's browser. Exits 84 when the display cannot be opened or does not answer, 78 when display.type is "none"`,
    )
    .option("--seconds <n>", "how long each screen (each page of a long one) stays, 0 to 60", "4")
    .action(async (options: { seconds: string }, command: Command) => {
      const seconds = wholeNumberOption(options.seconds, "--seconds", 0, 60);
      const loaded = loadConfigFor(command, context);
      const { config } = loaded;
      if (config.display.type === "none") {
        throw new CommandError(
          `display.type is "none" in ${loaded.path}, so there is no screen to test; set it to "kiosk", "lcd" or "oled" (hardware/display.md) and try again`,
          ExitCode.config,
        );
      }
      try {
        await runDisplayTest({
          config,
          clock: context.clock ?? systemClock,
          logger: commandLogger(context, loaded),
          openBus: context.openI2cBus ?? openI2cBus,
          holdMs: seconds * 1000,
          connectMs: CONNECT_SECONDS * 1000,
          wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          say: (line) => context.stdout.write(`${line}\n`),
        });
      } catch (error) {
        if (error instanceof DisplayTestError) {
          throw new CommandError(error.message, ExitCode.noDevice);
        }
        throw error;
      }
    });
}
