import type { Command } from "commander";
import type { LoadedConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../../core/logger.js";
import { createFeedback, type Feedback } from "../../feedback/feedback.js";
import { StoreError } from "../../store/faults.js";
import { type DataDirLock, lockDataDir } from "../../store/lock.js";
import { createClockProbe } from "../../system/clock-state.js";
import { createSystemdNotifier } from "../../system/sd-notify.js";
import { startDaemon } from "../../terminal/daemon.js";
import { showStorageFault } from "../../terminal/fault-display.js";
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
      "run the terminal in the foreground: read badges, journal taps, book shifts (what the systemd service runs); logs JSON lines on stdout; exits 75 when another timeclock process holds the data directory",
    )
    .action(async (_options, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const logger = loggerFor(loaded, context.env);
      for (const warning of loaded.warnings) logger.warn(warning);
      const clock = systemClock;
      const notifier = createSystemdNotifier({ env: context.env, logger });
      const openFeedback = () => createFeedback(loaded.config.feedback, { logger, clock });
      let lock: DataDirLock | undefined;
      let feedback: Feedback | undefined;
      let shown = false;
      try {
        // First of all, before the GPIO lines and the reader: a second copy must touch neither.
        lock = await lockDataDir(loaded.config.terminal.dataDir, "run");
        feedback = await openFeedback();
        const daemon = await startDaemon(loaded, {
          clock,
          logger,
          feedback,
          clockProbe: createClockProbe(),
          notifier,
          stdin: process.stdin,
        });
        const ended = await Promise.race([untilStopSignal(), daemon.storeLost]);
        logger.info(
          typeof ended === "string" ? { signal: ended } : { fault: ended.fault },
          "stopping",
        );
        if (typeof ended !== "string") {
          shown = true;
          await showStorageFault(ended, { feedback, logger, notifier });
        }
        const backstop = setTimeout(() => {
          logger.fatal("stop took too long; exiting anyway");
          process.exit(1);
        }, HARD_EXIT_MS);
        backstop.unref();
        await daemon.stop();
        if (typeof ended !== "string") throw ended;
      } catch (error) {
        // A second copy leaves the LEDs to the first; every other storage fault is shown on them.
        if (error instanceof StoreError && error.fault !== "busy" && !shown) {
          feedback ??= await openFeedback();
          await showStorageFault(error, { feedback, logger, notifier });
          await feedback.close();
        }
        throw error;
      } finally {
        lock?.release();
      }
    });
}
