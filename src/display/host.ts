import type { FastifyInstance } from "fastify";
import type { DaemonLink } from "../admin/index.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Db } from "../store/database.js";
import type { TerminalEvent } from "../terminal/events.js";
import { Door } from "./door.js";
import { DoorReads } from "./door-reads.js";
import type { HoursSource } from "./hours-source.js";
import { type I2cLink, openI2cBus } from "./i2c.js";
import { buildKioskApp, KIOSK_HOST } from "./kiosk/server.js";
import { lcdDevice, oledDevice, Panel } from "./panel.js";
import { DoorWords } from "./words.js";

/**
 * The screen at the door, as the console process runs it (display.type): the Door model fed by
 * the terminal's events, and the display it drives: the kiosk page's server, or an LCD or OLED
 * on I2C. The console process runs beside the daemon at a lower priority, so nothing here can
 * delay a tap, and a crash here is restarted without the terminal noticing.
 */

export interface DoorDisplayDeps {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  daemon: DaemonLink;
  /** Where a person's hours are read; the door's journal unless site mode brings the site's. */
  hours?: HoursSource;
  /** The I2C bus; /dev/i2c-N through i2c-bus unless a test or benchmark brings its own. */
  openBus?: (bus: number) => Promise<I2cLink>;
}

export interface DoorDisplay {
  readonly door: Door;
  onEvent(event: TerminalEvent): void;
  close(): Promise<void>;
}

export async function startDoorDisplay(deps: DoorDisplayDeps): Promise<DoorDisplay | null> {
  const { config, clock } = deps;
  const display = config.display;
  if (display.type === "none") return null;
  const logger = deps.logger.child({ part: "display" });
  const words = new DoorWords(config.terminal.locale, config.terminal.timeZone);
  const door = new Door({
    reads: new DoorReads(deps.db, config, clock, deps.hours),
    config,
    clock,
    logger,
  });
  door.start();
  let app: FastifyInstance | null = null;
  let link: I2cLink | null = null;
  let panel: Pick<Panel<unknown>, "show" | "close" | "name"> | null = null;

  if (display.type === "kiosk") {
    app = await buildKioskApp({
      door,
      words,
      clock,
      logger,
      daemon: deps.daemon,
      options: {
        buttons: display.kiosk.buttons,
        pin: display.kiosk.pin.enabled,
        terminalName: config.terminal.name,
      },
      port: display.kiosk.port,
    });
    try {
      await app.listen({ host: KIOSK_HOST, port: display.kiosk.port });
    } catch (error) {
      door.close();
      logger.error(
        { err: error, port: display.kiosk.port },
        `kiosk page cannot listen on ${KIOSK_HOST} port ${display.kiosk.port}; is another program using it? Set display.kiosk.port`,
      );
      throw error;
    }
    logger.info(
      { url: `http://${KIOSK_HOST}:${display.kiosk.port}/`, pid: process.pid },
      "kiosk page listening",
    );
  } else {
    link = await (deps.openBus ?? openI2cBus)(display.i2c.bus);
    const shown =
      display.type === "lcd"
        ? new Panel(lcdDevice(link, display, words), { clock, logger })
        : new Panel(oledDevice(link, display, words), { clock, logger });
    panel = shown;
    door.subscribe((screen) => shown.show(screen));
    logger.info(
      { display: shown.name, bus: display.i2c.bus, address: display.i2c.address },
      "display on I2C driven",
    );
  }
  return {
    door,
    onEvent: (event) => door.onEvent(event),
    async close() {
      door.close();
      await app?.close();
      await panel?.close();
      await link?.close();
    },
  };
}
