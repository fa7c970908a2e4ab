import type { I2cLink } from "../i2c.js";

/**
 * An SSD1306 OLED of 128x64 pixels on I2C. The frame is kept in the controller's own order:
 * eight pages of 128 column bytes, bit 0 the top row of each page. Only pages that changed are
 * sent, each as one data transaction after setting the column and page window.
 */

export const OLED_WIDTH = 128;
export const OLED_HEIGHT = 64;
export const OLED_PAGES = OLED_HEIGHT / 8;

const CONTROL_COMMANDS = 0x00;
const CONTROL_DATA = 0x40;

/** A blank frame in the SSD1306's memory order. */
export function blankFrame(): Uint8Array {
  return new Uint8Array(OLED_WIDTH * OLED_PAGES);
}

export class Ssd1306 {
  readonly #link: I2cLink;
  readonly #address: number;
  readonly #rotate180: boolean;
  #shown: Uint8Array | null = null;

  constructor(link: I2cLink, address: number, rotate180: boolean) {
    this.#link = link;
    this.#address = address;
    this.#rotate180 = rotate180;
  }

  #commands(bytes: number[]): Promise<void> {
    return this.#link.write(this.#address, Uint8Array.from([CONTROL_COMMANDS, ...bytes]));
  }

  /** The start-up of the usual 128x64 module with its charge pump (datasheet, application note). */
  async init(): Promise<void> {
    const segmentRemap = this.#rotate180 ? 0xa0 : 0xa1;
    const comScan = this.#rotate180 ? 0xc0 : 0xc8;
    await this.#commands([
      0xae, // display off
      0xd5,
      0x80, // clock divide
      0xa8,
      0x3f, // multiplex: 64 lines
      0xd3,
      0x00, // no display offset
      0x40, // start line 0
      0x8d,
      0x14, // charge pump on
      0x20,
      0x00, // horizontal addressing
      segmentRemap,
      comScan,
      0xda,
      0x12, // COM pins: alternative, no left/right remap
      0x81,
      0xcf, // contrast
      0xd9,
      0xf1, // pre-charge
      0xdb,
      0x40, // VCOMH
      0xa4, // show RAM
      0xa6, // not inverted
      0x2e, // no scrolling
      0xaf, // display on
    ]);
    this.#shown = null;
  }

  /** Sends the pages of `frame` that differ from what the glass shows. */
  async show(frame: Uint8Array): Promise<void> {
    for (let page = 0; page < OLED_PAGES; page++) {
      const start = page * OLED_WIDTH;
      const bytes = frame.subarray(start, start + OLED_WIDTH);
      const before = this.#shown?.subarray(start, start + OLED_WIDTH);
      if (before?.every((value, i) => value === bytes[i])) continue;
      await this.#commands([0x21, 0, OLED_WIDTH - 1, 0x22, page, page]);
      await this.#link.write(this.#address, Uint8Array.from([CONTROL_DATA, ...bytes]));
    }
    this.#shown = Uint8Array.from(frame);
  }

  async off(): Promise<void> {
    await this.#commands([0xae]);
    this.#shown = null;
  }
}
