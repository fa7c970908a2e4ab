import type { I2cLink } from "../../src/display/i2c.js";

/**
 * A fake I2C bus with a PCF8574 backpack and an HD44780 on it, decoding every byte as the chips
 * would: the port's bits (P0 RS, P1 RW, P2 E, P3 backlight, P4-P7 D4-D7), a nibble latched on
 * each falling edge of E, the controller starting in 8-bit mode until a function set says 4-bit,
 * then its instructions into DDRAM, CGRAM and the display flags. `glass()` is what a person would
 * read on a 16x2 or 20x4 module, with the A00 character ROM; written independently of the driver.
 */

/** The A00 ROM beyond ASCII, as far as these tests meet it (datasheet, table 4). */
const A00: Record<number, string> = {
  92: "¥",
  126: "→",
  127: "←",
  223: "°",
  224: "α",
  225: "ä",
  226: "β",
  227: "ε",
  228: "μ",
  238: "ñ",
  239: "ö",
  245: "ü",
  255: "█",
};

const LINE_START = [0x00, 0x40, 0x14, 0x54];

export class Hd44780Glass implements I2cLink {
  readonly address: number;
  readonly ddram = new Uint8Array(0x80).fill(0x20);
  readonly cgram = new Uint8Array(64);
  /** Every I2C write, for counting. */
  readonly writes: Uint8Array[] = [];
  backlight = false;
  displayOn = false;
  fourBit = false;
  twoLines = false;
  closed = false;
  #port = 0;
  #high: number | null = null;
  #ac = 0;
  #target: "ddram" | "cgram" = "ddram";
  #increment = true;

  constructor(address = 0x27) {
    this.address = address;
  }

  async write(address: number, bytes: Uint8Array): Promise<void> {
    if (address !== this.address) {
      throw Object.assign(new Error(`no device answers on 0x${address.toString(16)}`), {
        code: "EREMOTEIO",
      });
    }
    this.writes.push(Uint8Array.from(bytes));
    for (const value of bytes) this.#onPort(value);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  #onPort(value: number): void {
    if (value & 0x02) throw new Error("RW went high: the driver must never read the HD44780");
    const fallingEdge = (this.#port & 0x04) !== 0 && (value & 0x04) === 0;
    this.backlight = (value & 0x08) !== 0;
    if (fallingEdge) this.#latch(this.#port >> 4, (this.#port & 0x01) !== 0);
    this.#port = value;
  }

  #latch(nibble: number, rs: boolean): void {
    if (!this.fourBit) {
      // 8-bit mode: D0-D3 are not wired on a backpack and read as 0.
      this.#execute(nibble << 4, rs);
      return;
    }
    if (this.#high === null) {
      this.#high = nibble;
      return;
    }
    const value = (this.#high << 4) | nibble;
    this.#high = null;
    this.#execute(value, rs);
  }

  #execute(value: number, rs: boolean): void {
    if (rs) {
      if (this.#target === "ddram") this.ddram[this.#ac & 0x7f] = value;
      else this.cgram[this.#ac & 0x3f] = value & 0x1f;
      this.#ac += this.#increment ? 1 : -1;
      return;
    }
    if (value & 0x80) {
      this.#target = "ddram";
      this.#ac = value & 0x7f;
    } else if (value & 0x40) {
      this.#target = "cgram";
      this.#ac = value & 0x3f;
    } else if (value & 0x20) {
      this.fourBit = (value & 0x10) === 0;
      this.twoLines = (value & 0x08) !== 0;
      this.#high = null;
    } else if (value & 0x10) {
      throw new Error(`cursor or display shift 0x${value.toString(16)} is not expected`);
    } else if (value & 0x08) {
      this.displayOn = (value & 0x04) !== 0;
    } else if (value & 0x04) {
      this.#increment = (value & 0x02) !== 0;
      if (value & 0x01) throw new Error("display shift on entry is not expected");
    } else if (value & 0x02) {
      this.#ac = 0;
      this.#target = "ddram";
    } else if (value & 0x01) {
      this.ddram.fill(0x20);
      this.#ac = 0;
      this.#target = "ddram";
      this.#increment = true;
    }
  }

  /** The 5x8 pixels of CGRAM character `slot`, as rows of "X" and ".". */
  cgramArt(slot: number): string[] {
    return Array.from({ length: 8 }, (_, row) => {
      const bits = this.cgram[(slot & 7) * 8 + row] ?? 0;
      return Array.from({ length: 5 }, (_, x) => ((bits >> (4 - x)) & 1 ? "X" : ".")).join("");
    });
  }

  /** The character code shown at a cell. */
  codeAt(row: number, column: number): number {
    return this.ddram[(LINE_START[row] ?? 0) + column] ?? 0x20;
  }

  /**
   * What a person reads: each line of a `columns` x `rows` module. A CGRAM character is given as
   * the key of `known` whose art it matches, else as "¤".
   */
  glass(columns: number, rows: number, known: Record<string, readonly string[]> = {}): string[] {
    if (!this.displayOn) return Array(rows).fill(" ".repeat(columns));
    return Array.from({ length: rows }, (_, row) =>
      Array.from({ length: columns }, (_, column) => {
        const code = this.codeAt(row, column);
        if (code < 0x10) {
          const art = this.cgramArt(code).join("\n");
          const match = Object.entries(known).find(([, rowsOf]) => rowsOf.join("\n") === art);
          return match?.[0] ?? "¤";
        }
        if (A00[code]) return A00[code];
        if (code >= 0x20 && code < 0x80) return String.fromCharCode(code);
        return "■";
      }).join(""),
    );
  }
}
