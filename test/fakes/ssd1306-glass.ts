import type { I2cLink } from "../../src/display/i2c.js";

/**
 * A fake I2C bus with an SSD1306 128x64 on it, decoding every transaction as the controller
 * would: a control byte (0x00 commands, 0x40 data), the commands with their arguments, the
 * addressing modes and window, segment remap and COM scan direction, inversion and display on.
 * `pixel(x, y)` is what lights on the glass of a module seen with its pins at the top.
 */

const ARGUMENTS: Record<number, number> = {
  32: 1,
  33: 2,
  34: 2,
  129: 1,
  141: 1,
  168: 1,
  211: 1,
  213: 1,
  217: 1,
  218: 1,
  219: 1,
};

export const WIDTH = 128;
export const HEIGHT = 64;

export class Ssd1306Glass implements I2cLink {
  readonly address: number;
  readonly ram = new Uint8Array(WIDTH * 8);
  readonly writes: Uint8Array[] = [];
  on = false;
  inverted = false;
  segmentRemap = false;
  comRemap = false;
  chargePump = false;
  #mode = 2; // page addressing after reset
  #columns: [number, number] = [0, WIDTH - 1];
  #pages: [number, number] = [0, 7];
  #column = 0;
  #page = 0;

  constructor(address = 0x3c) {
    this.address = address;
  }

  async write(address: number, bytes: Uint8Array): Promise<void> {
    if (address !== this.address) {
      throw Object.assign(new Error(`no device answers on 0x${address.toString(16)}`), {
        code: "EREMOTEIO",
      });
    }
    this.writes.push(Uint8Array.from(bytes));
    const [control, ...rest] = bytes;
    if (control === 0x40) for (const value of rest) this.#data(value);
    else if (control === 0x00) this.#commands(rest);
    else throw new Error(`control byte 0x${(control ?? 0).toString(16)} is not expected`);
  }

  async close(): Promise<void> {}

  #commands(bytes: number[]): void {
    for (let i = 0; i < bytes.length; ) {
      const command = bytes[i] ?? 0;
      const count = ARGUMENTS[command] ?? 0;
      const args = bytes.slice(i + 1, i + 1 + count);
      if (args.length < count) throw new Error(`command 0x${command.toString(16)} lacks arguments`);
      this.#command(command, args);
      i += 1 + count;
    }
  }

  #command(command: number, args: number[]): void {
    const [a = 0, b = 0] = args;
    if (command === 0xae || command === 0xaf) this.on = command === 0xaf;
    else if (command === 0xa6 || command === 0xa7) this.inverted = command === 0xa7;
    else if (command === 0xa0 || command === 0xa1) this.segmentRemap = command === 0xa1;
    else if (command === 0xc0 || command === 0xc8) this.comRemap = command === 0xc8;
    else if (command === 0x8d) this.chargePump = (a & 0x04) !== 0;
    else if (command === 0x20) this.#mode = a & 3;
    else if (command === 0x21) {
      this.#columns = [a & 0x7f, b & 0x7f];
      this.#column = this.#columns[0];
    } else if (command === 0x22) {
      this.#pages = [a & 7, b & 7];
      this.#page = this.#pages[0];
    } else if (command >= 0xb0 && command <= 0xb7) this.#page = command & 7;
    else if (command === 0xd3 && a !== 0) throw new Error("a display offset is not expected");
    else if (command >= 0x41 && command <= 0x7f) throw new Error("a start line is not expected");
  }

  #data(value: number): void {
    this.ram[this.#page * WIDTH + this.#column] = value;
    if (this.#mode === 2) {
      this.#column = Math.min(this.#column + 1, WIDTH - 1);
      return;
    }
    if (this.#column < this.#columns[1]) {
      this.#column++;
      return;
    }
    this.#column = this.#columns[0];
    this.#page = this.#page < this.#pages[1] ? this.#page + 1 : this.#pages[0];
  }

  /**
   * Whether the pixel at (x, y) of the glass lights. The usual module shows RAM column 0 at its
   * left with segment remap on, and RAM row 0 at its top with COM scan remapped.
   */
  pixel(x: number, y: number): boolean {
    if (!this.on || !this.chargePump) return false;
    const column = this.segmentRemap ? x : WIDTH - 1 - x;
    const row = this.comRemap ? y : HEIGHT - 1 - y;
    const lit = ((this.ram[(row >> 3) * WIDTH + column] ?? 0) >> (row & 7)) & 1;
    return (lit === 1) !== this.inverted;
  }

  /** A rectangle of the glass as rows of "X" and ".". */
  art(x: number, y: number, width: number, height: number): string[] {
    return Array.from({ length: height }, (_, dy) =>
      Array.from({ length: width }, (_, dx) => (this.pixel(x + dx, y + dy) ? "X" : ".")).join(""),
    );
  }
}
