import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { type DaemonLink, socketDaemonLink } from "../admin/index.js";
import { ConfigError, DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from "../config/load.js";
import { systemClock } from "../core/clock.js";
import { ExitCode } from "../core/exit-codes.js";
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from "../core/logger.js";
import type { DoorDisplayDeps } from "../display/host.js";
import { startDoorDisplay } from "../display/host.js";
import { siteDoorJournalHours } from "../display/hours-source.js";
import { siteBadgeWriter } from "../site/badges.js";
import { siteEntryStore } from "../site/entries.js";
import { siteHoursSource } from "../site/hours.js";
import { siteStatusSource } from "../site/overview.js";
import { type Db, openDatabase } from "../store/database.js";
import type { TerminalDocument } from "../terminal/status-documents.js";
import { buildConsoleApp } from "./app.js";
import { goodTimeDirectory } from "./directory.js";
import type { ToConsole } from "./ipc.js";
import { LiveHub } from "./live.js";
import { ensureTlsMaterial } from "./tls.js";

/**
 * The console process, started and supervised by `timeclock run` (src/console/supervisor.ts):
 * the web admin console (console.enabled) and the screen at the door (display.type), each only
 * when configured. It opens its own connection to the database, reaches the daemon through the
 * control socket like any admin command, and hears of taps and status changes over the IPC
 * channel. When the daemon goes away, so does the console.
 */

/**
 * The console runs only as the daemon's child and ends with it, so the daemon that published
 * `terminal` runs exactly when it is this process's parent and the IPC channel is open (a pid
 * alone could have been reused since a crash).
 */
function isRunning(terminal: TerminalDocument): boolean {
  return terminal.pid === process.ppid && process.connected === true;
}

function urlOf(https: boolean, host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "<this terminal's address>" : host;
  return `${https ? "https" : "http"}://${shown.includes(":") ? `[${shown}]` : shown}:${port}/`;
}

export interface ConsoleProcessOptions {
  /** The I2C bus of an LCD or OLED; a benchmark brings a slow one. */
  openBus?: DoorDisplayDeps["openBus"];
}

export async function runConsoleProcess(options: ConsoleProcessOptions = {}): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string" } } });
  let logger: Logger = createLogger({ level: "info", redactBadges: true }).child({
    part: "console",
  });
  process.once("uncaughtException", (error) => {
    logger.fatal({ err: error }, "console failed; the terminal restarts it");
    process.exit(ExitCode.software);
  });
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(values.config ?? DEFAULT_CONFIG_PATH, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.error({ problems: error.problems }, "console off: the configuration cannot be read");
    process.exit(ExitCode.config);
  }
  const { config } = loaded;
  const wanted = process.env.TIMECLOCK_LOG_LEVEL as LogLevel | undefined;
  const level = wanted && LOG_LEVELS.includes(wanted) ? wanted : config.log.level;
  logger = createLogger({ level, redactBadges: config.log.redactBadges }).child({
    part: "console",
  });

  const db = openDatabase(config.terminal.dataDir, {
    logger: logger.child({ part: "store" }),
    check: false,
  });
  const daemon = socketDaemonLink(config.terminal.dataDir);
  const live = new LiveHub();
  const admin = config.console.enabled
    ? await startAdminConsole(loaded, { db, logger, live, daemon })
    : null;
  // Site mode: the screen counts a person's shifts of every door, from the site database.
  const siteHours =
    config.site && config.display.type !== "none"
      ? siteHoursSource({
          config: config.site,
          password: loaded.site?.password,
          logger: logger.child({ part: "site" }),
          applicationName: `timeclock ${config.site.terminalId} screen`,
          fallback: siteDoorJournalHours(db),
        })
      : undefined;
  let door: Awaited<ReturnType<typeof startDoorDisplay>> = null;
  try {
    door = await startDoorDisplay({
      config,
      db,
      clock: systemClock,
      logger,
      daemon,
      ...(siteHours ? { hours: siteHours.source } : {}),
      ...(options.openBus ? { openBus: options.openBus } : {}),
    });
  } catch (error) {
    logger.error({ err: error }, "the screen at the door could not be started");
    process.exit(ExitCode.software);
  }

  process.on("message", (message: ToConsole) => {
    if (message?.type !== "event") return;
    live.publish(message.event);
    door?.onEvent(message.event);
  });
  let closing = false;
  const shutdown = async (why: string) => {
    if (closing) return;
    closing = true;
    logger.info({ why }, "console stopping");
    await admin?.close();
    await door?.close();
    await siteHours?.close();
    db.close();
    process.exit(ExitCode.ok);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  // The daemon went away (even killed): the console has nothing to serve without it.
  process.once("disconnect", () => void shutdown("the terminal closed the channel"));
}

/** The web admin console on console.listen:console.port; exits the process when it cannot serve. */
async function startAdminConsole(
  loaded: LoadedConfig,
  parts: { db: Db; logger: Logger; live: LiveHub; daemon: DaemonLink },
): Promise<{ close(): Promise<void> }> {
  const { config } = loaded;
  const { logger } = parts;
  let tls: Awaited<ReturnType<typeof ensureTlsMaterial>> | null = null;
  if (config.console.https) {
    try {
      tls = await ensureTlsMaterial(config);
    } catch (error) {
      logger.error(
        { err: error, certFile: config.console.certFile, keyFile: config.console.keyFile },
        "console off: its certificate or key cannot be read; fix console.certFile/keyFile (or remove both for a self-signed certificate)",
      );
      process.exit(ExitCode.config);
    }
    if (tls.created) {
      logger.info(
        { path: tls.paths.cert, fingerprint: tls.fingerprint },
        "console made its self-signed certificate; compare this fingerprint with the browser's",
      );
    }
  }
  const siteBadges = config.site
    ? siteBadgeWriter({
        config: config.site,
        password: loaded.site?.password,
        db: parts.db,
        clock: systemClock,
        logger: logger.child({ part: "site" }),
        applicationName: `timeclock ${config.site.terminalId} console`,
      })
    : undefined;
  const siteEntries = config.site
    ? siteEntryStore({
        config: config.site,
        password: loaded.site?.password,
        logger: logger.child({ part: "site" }),
        applicationName: `timeclock ${config.site.terminalId} console`,
      })
    : undefined;
  const directory = goodTimeDirectory(loaded, logger, () => Date.now());
  const app = await buildConsoleApp(
    {
      db: parts.db,
      clock: systemClock,
      config,
      logger,
      daemon: parts.daemon,
      directory,
      running: isRunning,
      live: parts.live,
      fingerprint: tls?.fingerprint ?? null,
      scratchDir: tmpdir(),
      ...(siteBadges ? { siteBadgeWriter: siteBadges } : {}),
      ...(siteEntries ? { siteEntries: siteEntries.store, siteAudit: siteEntries.audit } : {}),
      ...(config.site
        ? {
            siteStatus: siteStatusSource(
              { config: config.site, password: loaded.site?.password },
              logger.child({ part: "site" }),
            ),
          }
        : {}),
    },
    tls ? { key: tls.key, cert: tls.cert } : undefined,
  );
  const { listen, port, https } = config.console;
  try {
    await app.listen({ host: listen, port });
  } catch (error) {
    logger.error(
      { err: error, listen, port },
      `console cannot listen on ${listen} port ${port}; is another program using the port? Set console.port`,
    );
    process.exit(ExitCode.software);
  }
  logger.info(
    { url: urlOf(https, listen, port), fingerprint: tls?.fingerprint, pid: process.pid },
    "console listening",
  );
  return {
    async close() {
      await app.close();
      directory.close();
      await siteBadges?.close();
      await siteEntries?.close();
    },
  };
}
