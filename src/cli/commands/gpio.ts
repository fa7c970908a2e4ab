import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import type { Command } from "commander";
import { systemClock } from "../../core/clock.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { createLogger, type Logger, silentLogger } from "../../core/logger.js";
import { createFeedback } from "../../feedback/feedback.js";
import { type FeedbackSignal, PATTERNS, totalMs } from "../../feedback/patterns.js";
import { scanGpioChips } from "../../gpio/chips.js";
import { type FeedbackConfig, pinsOf } from "../../gpio/config-schema.js";
import { createFunctionKeys } from "../../gpio/keys.js";
import { discoverChips } from "../../gpio/open.js";
import { describeChip, resolvePin } from "../../gpio/resolve.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, loadConfigFor } from "../context.js";
import { wholeNumberOption } from "../options.js";
import { renderJson, renderTable } from "../output.js";

/** Commands for the technician at the door: are the LEDs, buzzer and keys wired where the config says? */

const SIGNALS: Record<FeedbackSignal, string> = {
  "self-test": "green, red, amber, buzzer, one after the other",
  "clock-in": "green 1 s, one short beep",
  "clock-out": "green twice, two short beeps",
  ignored: "green briefly, one very short tick",
  "unknown-badge": "red 2 s, one long beep",
  refused: "red three times, three short beeps",
  "reader-fault": "red slow blink (shown for 4 s)",
  "storage-fault": "red and amber: one long with a long beep, then four quick blinks",
  enrolled: "green 1 s, three quick beeps (a badge captured for enrolment)",
};
const READER_FAULT_SHOWN_MS = 4000;
const PAUSE_MS = 800;

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Warnings and errors as plain lines on stderr, so that a failing pin is seen at once. */
function stderrLogger(context: CliContext): Logger {
  const lines = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        const entry = JSON.parse(line) as {
          level?: string;
          msg?: string;
          err?: { message?: string };
        };
        const reason = entry.err?.message ? `: ${entry.err.message}` : "";
        context.stderr.write(`${entry.level}: ${entry.msg}${reason}\n`);
      }
      done();
    },
  });
  return createLogger({ level: "warn", redactBadges: false }, lines);
}

function requireBackend(feedback: FeedbackConfig, path: string): void {
  if (feedback.backend === "none") {
    throw new CommandError(
      `feedback.backend is "none" in ${path}, so no GPIO is used; set it to "auto" (see hardware/README.md) and try again`,
      ExitCode.config,
    );
  }
}

function parseSignal(value: string | undefined): FeedbackSignal[] {
  if (value === undefined) return Object.keys(SIGNALS) as FeedbackSignal[];
  if (value in SIGNALS) return [value as FeedbackSignal];
  throw new CommandError(
    `--signal ${JSON.stringify(value)} is not a signal; choose one of ${Object.keys(SIGNALS).join(", ")}`,
    ExitCode.usage,
  );
}

export function registerGpioCommands(program: Command, context: CliContext): void {
  const gpio = program.command("gpio").description(describeCommand("gpio"));

  gpio
    .command("pins")
    .description(
      "list the GPIO chips found and where each configured LED, buzzer and key resolves to; exits 78 when one cannot be resolved",
    )
    .option("--json", "print JSON")
    .option(
      "--root <dir>",
      "read /sys and /dev under DIR instead of / (libgpiod's tools are not asked)",
    )
    .action(async (options: { json?: boolean; root?: string }, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const chips = options.root
        ? scanGpioChips({ fsRoot: options.root })
        : await discoverChips("/", spawn);
      const parts = pinsOf(loaded.config.feedback).map(({ part, bcm }) => {
        try {
          return { part, bcm, pin: resolvePin(bcm, chips), problem: undefined };
        } catch (error) {
          return { part, bcm, pin: undefined, problem: (error as Error).message };
        }
      });
      if (options.json) {
        context.stdout.write(renderJson({ backend: loaded.config.feedback.backend, chips, parts }));
      } else {
        context.stdout.write(
          `feedback.backend: ${loaded.config.feedback.backend}\n\nGPIO chips:\n`,
        );
        context.stdout.write(
          renderTable(
            chips.map((chip) => ({
              chip: describeChip(chip),
              device: chip.devPath,
              "sysfs base": chip.base,
              compatible: chip.compatible.join(" ") || undefined,
            })),
          ),
        );
        context.stdout.write("\nConfigured pins:\n");
        context.stdout.write(
          renderTable(
            parts.map(({ part, bcm, pin }) => ({
              part,
              bcm,
              chip: pin?.chip,
              line: pin?.offset,
              "sysfs gpio": pin?.sysfsNumber,
              "found by": pin?.matchedBy ?? "NOT FOUND",
            })),
          ),
        );
      }
      const failed = parts.filter((p) => p.problem);
      if (failed.length > 0) {
        throw new CommandError(
          `${failed.length} of ${parts.length} pins cannot be resolved: ${failed[0]?.problem}`,
          ExitCode.config,
        );
      }
    });

  gpio
    .command("test")
    .description(
      "play the start-up self-test and every signal on the configured LEDs and buzzer, saying what should happen",
    )
    .option("--signal <name>", `play only this one: ${Object.keys(SIGNALS).join(", ")}`)
    .action(async (options: { signal?: string }, command: Command) => {
      const signals = parseSignal(options.signal);
      const loaded = loadConfigFor(command, context);
      requireBackend(loaded.config.feedback, loaded.path);
      // Problems show in the status printed before and after; log lines would only repeat them.
      const feedback = await createFeedback(loaded.config.feedback, {
        logger: silentLogger(),
        clock: systemClock,
      });
      try {
        const status = feedback.status();
        context.stdout.write(`backend: ${status.backend} (${status.detail})\n`);
        for (const output of status.outputs) {
          const where = output.state === "ok" ? output.resolved : `FAILED: ${output.error}`;
          context.stdout.write(`  ${output.name}: ${where}\n`);
        }
        if (!status.outputs.some((output) => output.state === "ok")) {
          throw new CommandError(
            `no LED or buzzer could be opened${status.lastError ? `: ${status.lastError}` : ""}`,
            ExitCode.noDevice,
          );
        }
        for (const signal of signals) {
          context.stdout.write(`${signal}: ${SIGNALS[signal]}\n`);
          feedback.signal(signal);
          if (signal === "reader-fault") {
            await wait(READER_FAULT_SHOWN_MS);
            feedback.clearReaderFault();
          } else await wait(totalMs(PATTERNS[signal]));
          await wait(PAUSE_MS);
        }
        const failed = feedback.status().outputs.filter((output) => output.state === "failed");
        const before = new Set(
          status.outputs.filter((o) => o.state === "failed").map((o) => o.name),
        );
        for (const output of failed.filter((o) => !before.has(o.name))) {
          context.stdout.write(`  ${output.name}: FAILED during the test: ${output.error}\n`);
        }
      } finally {
        await feedback.close();
      }
    });

  gpio
    .command("keys")
    .description("print each function-key press while listening, to check the keys' wiring")
    .option("--seconds <n>", "how long to listen, 1 to 600", "30")
    .action(async (options: { seconds: string }, command: Command) => {
      const seconds = wholeNumberOption(options.seconds, "--seconds", 1, 600);
      const loaded = loadConfigFor(command, context);
      requireBackend(loaded.config.feedback, loaded.path);
      if (loaded.config.feedback.keys.length === 0) {
        throw new CommandError(
          `no function keys in feedback.keys of ${loaded.path}; add them as shown in hardware/README.md`,
          ExitCode.config,
        );
      }
      const keys = await createFunctionKeys(
        loaded.config.feedback,
        { logger: stderrLogger(context) },
        (name) => context.stdout.write(`${systemClock.now().toISOString()} key ${name}\n`),
      );
      context.stdout.write(`listening for ${seconds} s: press each key once\n`);
      await wait(seconds * 1000);
      await keys.close();
    });
}
