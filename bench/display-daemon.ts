#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/load.js";
import { systemClock } from "../src/core/clock.js";
import { createLogger } from "../src/core/logger.js";
import { createLogFeedback } from "../src/feedback/feedback.js";
import { createClockProbe } from "../src/system/clock-state.js";
import { createSystemdNotifier } from "../src/system/sd-notify.js";
import { startDaemon } from "../src/terminal/daemon.js";

/**
 * `timeclock run` for the display benchmark: the same daemon, whose console process drives its
 * LCD or OLED over the slow fake bus of display-console.ts. Only for measuring.
 */
const { values } = parseArgs({ options: { config: { type: "string" } } });
const loaded = loadConfig(values.config ?? "", process.env);
const logger = createLogger({ level: "info", redactBadges: false });
const daemon = await startDaemon(loaded, {
  clock: systemClock,
  logger,
  feedback: createLogFeedback(logger),
  clockProbe: createClockProbe(),
  notifier: createSystemdNotifier({ env: {}, logger }),
  consoleEntry: fileURLToPath(new URL("./display-console.js", import.meta.url)),
});
process.once("SIGTERM", () => {
  void daemon.stop().then(() => process.exit(0));
});
