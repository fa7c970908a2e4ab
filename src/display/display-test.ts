import type { FastifyInstance } from "fastify";
import { READ_ONLY_LINK } from "../admin/index.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { displayAddress } from "./config-schema.js";
import type { I2cLink } from "./i2c.js";
import { buildKioskApp, KIOSK_HOST, type ScreenSource } from "./kiosk/server.js";
import { lcdDevice, oledDevice, type PanelDevice } from "./panel.js";
import { sampleScreens } from "./samples.js";
import type { Screen } from "./screen.js";
import { DoorWords } from "./words.js";

/**
 * `timeclock display test`: every screen once on the configured display, with the samples of
 * samples.ts, so that a technician sees the wiring, the address, the size and the language work
 * without tapping. The running terminal must be stopped first: it owns the display.
 */

export type DisplayTestProblem = "bus" | "device" | "port" | "no-browser";

/** Why the display could not be tested, said so that the technician knows what to check. */
export class DisplayTestError extends Error {
  readonly problem: DisplayTestProblem;
  constructor(problem: DisplayTestProblem, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DisplayTestError";
    this.problem = problem;
  }
}

export interface DisplayTestDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  openBus: (bus: number) => Promise<I2cLink>;
  /** How long each screen (each page of a long one) stays. */
  holdMs: number;
  /** How long the kiosk page may take to connect (the kiosk's Chromium retries every 2 s). */
  connectMs: number;
  wait: (ms: number) => Promise<void>;
  /** One line per screen drawn, said once it is on the glass. */
  say: (line: string) => void;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runDisplayTest(deps: DisplayTestDeps): Promise<void> {
  const display = deps.config.display;
  if (display.type === "kiosk") return kioskTest(deps);
  if (display.type === "none") throw new Error("display.type is none: there is nothing to test");
  const words = new DoorWords(deps.config.terminal.locale, deps.config.terminal.timeZone);
  const address = displayAddress(display, display.type);
  const where = `address 0x${address.toString(16).toUpperCase()} on /dev/i2c-${display.i2c.bus}`;
  let link: I2cLink;
  try {
    link = await deps.openBus(display.i2c.bus);
  } catch (error) {
    throw new DisplayTestError(
      "bus",
      `cannot open /dev/i2c-${display.i2c.bus} (${errorText(error)}): enable I2C with dtparam=i2c_arm=on, add this user to the group i2c, or set display.i2c.bus (hardware/display.md)`,
      { cause: error },
    );
  }
  try {
    const device: PanelDevice<unknown> =
      display.type === "lcd" ? lcdDevice(link, display, words) : oledDevice(link, display, words);
    try {
      await device.init();
    } catch (error) {
      throw new DisplayTestError(
        "device",
        `no ${device.name} answers at ${where} (${errorText(error)}): check the wiring and the address with i2cdetect -y ${display.i2c.bus}, then display.i2c.address (hardware/display.md)`,
        { cause: error },
      );
    }
    deps.say(`${device.name} at ${where}, in ${words.locale}`);
    await drawSamples(deps, (screen) =>
      device.frames(screen, deps.clock.now()).map((frame) => () => device.show(frame)),
    );
    await device.off();
  } finally {
    await link.close();
  }
}

/** A screen as the drawings of its pages (one, unless it is too long for the display). */
type Pages = (screen: Screen) => (() => Promise<void>)[];

/** Draws each sample, page by page, saying what is shown, and keeps each page for holdMs. */
async function drawSamples(deps: DisplayTestDeps, pagesOf: Pages): Promise<void> {
  const samples = sampleScreens(deps.clock.now());
  for (const [index, sample] of samples.entries()) {
    const pages = pagesOf(sample.screen);
    for (const [page, draw] of pages.entries()) {
      await draw();
      const part = pages.length > 1 ? ` (page ${page + 1} of ${pages.length})` : "";
      deps.say(`${index + 1}/${samples.length} ${sample.label}${part}`);
      await deps.wait(deps.holdMs);
    }
  }
}

/** The samples as the kiosk page's screens, one after the other. */
class SampleSource implements ScreenSource {
  #screen: Screen;
  readonly #listeners = new Set<(screen: Screen) => void>();
  #connected: () => void = () => {};
  readonly connected = new Promise<void>((resolve) => {
    this.#connected = resolve;
  });

  constructor(first: Screen) {
    this.#screen = first;
  }

  current(): Screen {
    return this.#screen;
  }

  subscribe(listener: (screen: Screen) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#screen);
    this.#connected();
    return () => this.#listeners.delete(listener);
  }

  show(screen: Screen): void {
    this.#screen = screen;
    for (const listener of this.#listeners) listener(screen);
  }
}

async function kioskTest(deps: DisplayTestDeps): Promise<void> {
  const { config } = deps;
  const { port, buttons } = config.display.kiosk;
  const words = new DoorWords(config.terminal.locale, config.terminal.timeZone);
  const [first] = sampleScreens(deps.clock.now());
  const source = new SampleSource(
    first?.screen ?? { kind: "idle", idle: { booking: { state: "booked" }, faults: [] } },
  );
  const app: FastifyInstance = await buildKioskApp({
    door: source,
    words,
    clock: deps.clock,
    logger: deps.logger,
    daemon: READ_ONLY_LINK,
    options: { buttons, pin: false, terminalName: config.terminal.name },
    port,
  });
  try {
    try {
      await app.listen({ host: KIOSK_HOST, port });
    } catch (error) {
      throw new DisplayTestError(
        "port",
        `cannot serve the kiosk page on ${KIOSK_HOST} port ${port} (${errorText(error)}): when the terminal runs, it serves the page; stop it first (sudo systemctl stop timeclock), or set display.kiosk.port`,
        { cause: error },
      );
    }
    deps.say(
      `kiosk page at http://${KIOSK_HOST}:${port}/, in ${words.locale}; waiting for the kiosk's browser (timeclock-kiosk.service)`,
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), deps.connectMs);
    });
    const outcome = await Promise.race([source.connected, timeout]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      throw new DisplayTestError(
        "no-browser",
        `no browser opened http://${KIOSK_HOST}:${port}/ within ${Math.round(deps.connectMs / 1000)} s: start the kiosk (sudo systemctl start timeclock-kiosk) and run this again (systemd/README.md)`,
      );
    }
    await drawSamples(deps, (screen) => [async () => source.show(screen)]);
  } finally {
    await app.close();
  }
}
