#!/usr/bin/env node
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { loadConfig } from "../src/config/load.js";
import { systemClock } from "../src/core/clock.js";
import { createLogger } from "../src/core/logger.js";
import { createLogFeedback } from "../src/feedback/feedback.js";
import { createClockProbe } from "../src/system/clock-state.js";
import { createSystemdNotifier } from "../src/system/sd-notify.js";
import { startDaemon } from "../src/terminal/daemon.js";

/**
 * The alternative the console benchmark compares against: the same daemon with the console in a
 * worker thread of its own process instead of a child process. Only for measuring; `timeclock
 * run` never does this. The config has the console enabled, for the worker; the daemon is started
 * with it disabled, so that it forks no console child of its own.
 */
const { values } = parseArgs({ options: { config: { type: "string" } } });
const configPath = values.config ?? "";
const loaded = loadConfig(configPath, process.env);
const logger = createLogger({ level: "info", redactBadges: false });
const daemon = await startDaemon(
  {
    ...loaded,
    config: { ...loaded.config, console: { ...loaded.config.console, enabled: false } },
  },
  {
    clock: systemClock,
    logger,
    feedback: createLogFeedback(logger),
    clockProbe: createClockProbe(),
    notifier: createSystemdNotifier({ env: {}, logger }),
  },
);
// The console as `npm run build` made it (dist/), as the child-process variant runs it too.
const worker = new Worker(new URL("../../dist/console/main.js", import.meta.url), {
  argv: ["--config", configPath],
  resourceLimits: { maxOldGenerationSizeMb: 64 },
});
worker.on("error", (error) => logger.error({ err: error }, "console worker failed"));
process.once("SIGTERM", () => {
  void worker.terminate().then(() => daemon.stop());
});
