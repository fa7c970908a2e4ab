import type { Command } from "commander";
import type { LoadedConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { ExitCode } from "../../core/exit-codes.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../../core/logger.js";
import { SecretScrubber } from "../../core/secrets.js";
import { createFeedback, type Feedback } from "../../feedback/feedback.js";
import { StoreError } from "../../store/faults.js";
import { type DataDirLock, lockDataDir } from "../../store/lock.js";
import { createClockProbe } from "../../system/clock-state.js";
import { createSystemdNotifier } from "../../system/sd-notify.js";
import { EarlyReader } from "../../terminal/early-reader.js";
import { showStorageFault } from "../../terminal/fault-display.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, loadConfigFor } from "../context.js";
import { untilStopSignal } from "../signals.js";

/** Past this, a stop that hangs (a wedged device, a request that ignores its timeout) is cut short. */
const HARD_EXIT_MS = 15_000;

export function loggerFor(
  loaded: LoadedConfig,
  env: NodeJS.ProcessEnv,
  secrets?: SecretScrubber,
): Logger {
  const fromEnv = env.TIMECLOCK_LOG_LEVEL as LogLevel | undefined;
  const level = fromEnv && LOG_LEVELS.includes(fromEnv) ? fromEnv : loaded.config.log.level;
  return createLogger({
    level,
    redactBadges: loaded.config.log.redactBadges,
    ...(secrets ? { secrets } : {}),
  });
}

export function registerRunCommand(program: Command, context: CliContext): void {
  program
    .command("run")
    .description(describeCommand("run"))
    .action(async (_options, command: Command) => {
      const loaded = loadConfigFor(command, context);
      // One scrubber for the log and the client: the client adds each token it receives.
      const secrets = new SecretScrubber(loaded.apiPassword);
      const logger = loggerFor(loaded, context.env, secrets);
      // Node ends on an uncaught error with 1, which means "warning" here: a crash gets its own code.
      process.once("uncaughtException", (error) => {
        logger.fatal({ err: error }, "unexpected error; exiting (please report it)");
        process.exit(ExitCode.software);
      });
      for (const warning of loaded.warnings) logger.warn(warning);
      const clock = systemClock;
      const notifier = createSystemdNotifier({ env: context.env, logger });
      const openFeedback = () => createFeedback(loaded.config.feedback, { logger, clock });
      let lock: DataDirLock | undefined;
      let reader: EarlyReader | undefined;
      let feedback: Feedback | undefined;
      let shown = false;
      // Listening from the start: a stop asked for while the terminal starts ends it cleanly once
      // started, instead of killing it with the reader open and the journal half opened.
      const stopSignal = untilStopSignal();
      try {
        // First of all, before the GPIO lines and the reader: a second copy must touch neither.
        lock = await lockDataDir(loaded.config.terminal.dataDir, "run");
        // Next the reader, so that a badge tapped while the rest starts is read, not lost; only
        // then the daemon's code and the journal, whose reads wait for it (see EarlyReader).
        reader = await EarlyReader.open(loaded.config.reader, {
          logger: logger.child({ part: "reader" }),
          clock,
          stdin: process.stdin,
        });
        feedback = await openFeedback();
        const { startDaemon } = await import("../../terminal/daemon.js");
        const daemon = await startDaemon(loaded, {
          clock,
          logger,
          feedback,
          clockProbe: createClockProbe(),
          notifier,
          stdin: process.stdin,
          secrets,
          env: context.env,
          createReader: reader.adopt,
        });
        const why = await Promise.race([
          stopSignal.then((signal) => ({ signal })),
          daemon.ended.then((detail) => ({ detail })),
          daemon.storeLost.then((fault) => ({ fault })),
        ]);
        if ("fault" in why) {
          logger.info({ fault: why.fault.fault }, "stopping");
          shown = true;
          await showStorageFault(why.fault, { feedback, logger, notifier });
        } else {
          logger.info(why, "signal" in why ? "stopping" : "input ended; stopping");
        }
        const backstop = setTimeout(() => {
          logger.fatal("stop took too long; exiting anyway");
          process.exit(ExitCode.software);
        }, HARD_EXIT_MS);
        backstop.unref();
        await daemon.stop();
        if ("fault" in why) throw why.fault;
      } catch (error) {
        // A second copy leaves the LEDs to the first; every other storage fault is shown on them.
        if (error instanceof StoreError && error.fault !== "busy" && !shown) {
          feedback ??= await openFeedback();
          await showStorageFault(error, { feedback, logger, notifier });
          await feedback.close();
        }
        throw error;
      } finally {
        await reader?.stop();
        lock?.release();
      }
    });
}
