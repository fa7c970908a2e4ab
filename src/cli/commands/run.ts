import type { Command } from "commander";
import type { LoadedConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { ExitCode } from "../../core/exit-codes.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../../core/logger.js";
import { createFeedback } from "../../feedback/feedback.js";
import { createClockProbe } from "../../system/clock-state.js";
import { createSystemdNotifier } from "../../system/sd-notify.js";
import { startDaemon } from "../../terminal/daemon.js";
import { type CliContext, loadConfigFor } from "../context.js";
import { untilStopSignal } from "../signals.js";

/** Past this, a stop that hangs (a wedged device, a request that ignores its timeout) is cut short. */
const HARD_EXIT_MS = 15_000;

export function loggerFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Logger {
  const fromEnv = env.TIMECLOCK_LOG_LEVEL as LogLevel | undefined;
  const level = fromEnv && LOG_LEVELS.includes(fromEnv) ? fromEnv : loaded.config.log.level;
  return createLogger({ level, redactBadges: loaded.config.log.redactBadges });
}

export function registerRunCommand(program: Command, context: CliContext): void {
  program
    .command("run")
    .description(
      "run the terminal in the foreground: read badges, journal taps, book shifts (what the systemd service runs); logs JSON lines on stdout. Stops on SIGTERM or SIGINT, and with the stdin reader at the end of its input, exiting 0",
    )
    .action(async (_options, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const logger = loggerFor(loaded, context.env);
      // Node ends on an uncaught error with 1, which means "warning" here: a crash gets its own code.
      process.once("uncaughtException", (error) => {
        logger.fatal({ err: error }, "unexpected error; exiting (please report it)");
        process.exit(ExitCode.software);
      });
      for (const warning of loaded.warnings) logger.warn(warning);
      const clock = systemClock;
      const feedback = await createFeedback(loaded.config.feedback, { logger, clock });
      const daemon = await startDaemon(loaded, {
        clock,
        logger,
        feedback,
        clockProbe: createClockProbe(),
        notifier: createSystemdNotifier({ env: context.env, logger }),
        stdin: process.stdin,
        env: context.env,
      });
      const why = await Promise.race([
        untilStopSignal().then((signal) => ({ signal })),
        daemon.ended.then((detail) => ({ detail })),
      ]);
      logger.info(why, "signal" in why ? "stopping" : "input ended; stopping");
      const backstop = setTimeout(() => {
        logger.fatal("stop took too long; exiting anyway");
        process.exit(ExitCode.software);
      }, HARD_EXIT_MS);
      backstop.unref();
      await daemon.stop();
    });
}
