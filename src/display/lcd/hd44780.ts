import type { Glyph } from "../font.js";
import { type I2cLink, pause } from "../i2c.js";
import { cgramRows, type EncodedPage } from "./charset.js";
import type { GridSize } from "./pages.js";

/**
 * An HD44780 character LCD behind a PCF8574 I2C backpack, written in 4-bit mode. The backpack's
 * eight outputs drive P0 RS, P1 RW, P2 E, P3 the backlight, P4 to P7 the data lines D4 to D7;
 * each nibble is two port writes (E high, then E low: the LCD latches on the falling edge), and
 * one I2C transaction carries many of them, so a line of text is one write.
 */

const RS = 0x01;
const ENABLE = 0x04;
const BACKLIGHT = 0x08;

/** DDRAM address of each line's first character: lines 3 and 4 continue lines 1 and 2. */
const LINE_START = [0x00, 0x40, 0x14, 0x54];

const COMMAND = {
  functionSet4Bit2Lines: 0x28,
  displayOff: 0x08,
  clear: 0x01,
  entryIncrement: 0x06,
  displayOn: 0x0c,
  setCgram: 0x40,
  setDdram: 0x80,
} as const;

function nibble(value: number, mode: number): number[] {
  const port = ((value & 0x0f) << 4) | mode | BACKLIGHT;
  return [port | ENABLE, port];
}

function byte(value: number, mode: number): number[] {
  return [...nibble(value >> 4, mode), ...nibble(value, mode)];
}

export class Hd44780 {
  readonly #link: I2cLink;
  readonly #address: number;
  readonly #size: GridSize;
  /** What the glass shows now, to send only lines and glyphs that change. */
  #lines: number[][] = [];
  #glyphs: string[] = [];

  constructor(link: I2cLink, address: number, size: GridSize) {
    this.#link = link;
    this.#address = address;
    this.#size = size;
  }

  #send(bytes: number[]): Promise<void> {
    return this.#link.write(this.#address, Uint8Array.from(bytes));
  }

  /**
   * The datasheet's initialisation by instruction (figure 24): three times "8-bit", then
   * "4-bit", which works whatever state the controller was left in; then 2 lines, clear, on.
   */
  async init(): Promise<void> {
    await pause(50);
    for (const wait of [5, 1, 1]) {
      await this.#send(nibble(0x03, 0));
      await pause(wait);
    }
    await this.#send(nibble(0x02, 0));
    await pause(1);
    await this.#send([
      ...byte(COMMAND.functionSet4Bit2Lines, 0),
      ...byte(COMMAND.displayOff, 0),
      ...byte(COMMAND.clear, 0),
    ]);
    // Clearing takes the controller 1.52 ms.
    await pause(3);
    await this.#send([...byte(COMMAND.entryIncrement, 0), ...byte(COMMAND.displayOn, 0)]);
    this.#lines = [];
    this.#glyphs = [];
  }

  async #defineGlyph(slot: number, glyph: Glyph): Promise<void> {
    const rows = cgramRows(glyph);
    await this.#send([
      ...byte(COMMAND.setCgram | (slot << 3), 0),
      ...rows.flatMap((row) => byte(row, RS)),
    ]);
  }

  /** Shows a page: its own characters first, then each line that differs from the glass. */
  async show(page: EncodedPage): Promise<void> {
    for (const [slot, glyph] of page.glyphs.entries()) {
      const key = glyph.join(",");
      if (this.#glyphs[slot] === key) continue;
      await this.#defineGlyph(slot, glyph);
      this.#glyphs[slot] = key;
    }
    for (let row = 0; row < this.#size.rows; row++) {
      const codes = page.codes[row] ?? [];
      const line = Array.from({ length: this.#size.columns }, (_, i) => codes[i] ?? 0x20);
      if (this.#lines[row]?.join(",") === line.join(",")) continue;
      await this.#send([
        ...byte(COMMAND.setDdram | (LINE_START[row] ?? 0), 0),
        ...line.flatMap((code) => byte(code, RS)),
      ]);
      this.#lines[row] = line;
    }
  }

  /** Blank lines, backlight off: what a stopped terminal leaves. */
  async off(): Promise<void> {
    await this.#send([...byte(COMMAND.displayOff, 0).map((port) => port & ~BACKLIGHT)]);
    this.#lines = [];
  }
}
