import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { screenBlocks } from "./blocks.js";
import { type DisplayConfig, displayAddress } from "./config-schema.js";
import type { I2cLink } from "./i2c.js";
import { encodePage } from "./lcd/charset.js";
import { Hd44780 } from "./lcd/hd44780.js";
import { type GridSize, lcdPages } from "./lcd/pages.js";
import { oledLayout, renderOled } from "./oled/render.js";
import { Ssd1306 } from "./oled/ssd1306.js";
import type { Screen } from "./screen.js";
import type { DoorWords } from "./words.js";

/**
 * An I2C display at the door (character LCD or OLED): shows the door's screen, page after page
 * when it does not fit, and the idle clock minute by minute. Drawing runs one at a time and
 * only the newest screen is drawn, so a slow or stuck bus delays the glass, never the caller; a
 * failing display is logged and opened again later.
 */

/** How long each page of a screen that needs several stays. */
export const PAGE_MS = 2_500;
const FIRST_RETRY_MS = 2_000;
const LONGEST_RETRY_MS = 60_000;

/** One kind of display: how a screen becomes frames, and how a frame reaches the glass. */
export interface PanelDevice<Frame> {
  readonly name: string;
  init(): Promise<void>;
  frames(screen: Screen, now: Date): Frame[];
  show(frame: Frame): Promise<void>;
  off(): Promise<void>;
}

export function lcdSize(config: DisplayConfig): GridSize {
  return config.lcd.size === "20x4" ? { columns: 20, rows: 4 } : { columns: 16, rows: 2 };
}

export function lcdDevice(
  link: I2cLink,
  config: DisplayConfig,
  words: DoorWords,
): PanelDevice<ReturnType<typeof encodePage>> {
  const size = lcdSize(config);
  const lcd = new Hd44780(link, displayAddress(config, "lcd"), size);
  return {
    name: `HD44780 ${config.lcd.size}`,
    init: () => lcd.init(),
    frames: (screen, now) => lcdPages(screenBlocks(screen, words, now), size).map(encodePage),
    show: (page) => lcd.show(page),
    off: () => lcd.off(),
  };
}

export function oledDevice(
  link: I2cLink,
  config: DisplayConfig,
  words: DoorWords,
): PanelDevice<Uint8Array> {
  const oled = new Ssd1306(link, displayAddress(config, "oled"), config.oled.rotate === 180);
  return {
    name: "SSD1306 128x64",
    init: () => oled.init(),
    frames: (screen, now) => [renderOled(oledLayout(screenBlocks(screen, words, now)))],
    show: (frame) => oled.show(frame),
    off: () => oled.off(),
  };
}

export interface PanelDeps {
  clock: Clock;
  logger: Logger;
}

export class Panel<Frame> {
  readonly #device: PanelDevice<Frame>;
  readonly #deps: PanelDeps;
  #screen: Screen | null = null;
  #page = 0;
  #drawing: Promise<void> | null = null;
  #again = false;
  #ready = false;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(device: PanelDevice<Frame>, deps: PanelDeps) {
    this.#device = device;
    this.#deps = deps;
  }

  get name(): string {
    return this.#device.name;
  }

  /** Shows `screen` from its first page. Returns at once; drawing follows. */
  show(screen: Screen): void {
    this.#screen = screen;
    this.#page = 0;
    this.#draw();
  }

  /** Resolves when what was asked for so far is on the glass (or failed). */
  async settled(): Promise<void> {
    while (this.#drawing) await this.#drawing;
  }

  #draw(): void {
    if (this.#closed) return;
    if (this.#drawing) {
      this.#again = true;
      return;
    }
    this.#drawing = this.#drawNow().finally(() => {
      this.#drawing = null;
      if (this.#again) {
        this.#again = false;
        this.#draw();
      }
    });
  }

  async #drawNow(): Promise<void> {
    const screen = this.#screen;
    if (!screen) return;
    clearTimeout(this.#timer);
    const now = this.#deps.clock.now();
    try {
      if (!this.#ready) {
        await this.#device.init();
        this.#ready = true;
      }
      const frames = this.#device.frames(screen, now);
      const frame = frames[this.#page % frames.length];
      if (frame !== undefined) await this.#device.show(frame);
      if (this.#failures > 0) {
        this.#deps.logger.info({ display: this.#device.name }, "display works again");
      }
      this.#failures = 0;
      this.#schedule(screen, frames.length, now);
    } catch (error) {
      this.#ready = false;
      const retryMs = Math.min(FIRST_RETRY_MS * 2 ** this.#failures, LONGEST_RETRY_MS);
      if (this.#failures === 0) {
        this.#deps.logger.error(
          { err: error, display: this.#device.name, retryMs },
          "display does not answer; taps are journalled as usual. Check its wiring and address (timeclock display test, hardware/display.md)",
        );
      }
      this.#failures++;
      this.#later(retryMs, () => this.#draw());
    }
  }

  /** The next page of a long screen, or the next minute of the idle clock. */
  #schedule(screen: Screen, pages: number, now: Date): void {
    if (pages > 1) {
      this.#later(PAGE_MS, () => {
        this.#page++;
        this.#draw();
      });
    } else if (screen.kind === "idle") {
      this.#later(60_000 - (now.getTime() % 60_000) + 50, () => this.#draw());
    }
  }

  #later(ms: number, run: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(run, ms);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.settled();
    if (!this.#ready) return;
    try {
      await this.#device.off();
    } catch (error) {
      this.#deps.logger.warn(
        { err: error, display: this.#device.name },
        "display could not be switched off",
      );
    }
  }
}
