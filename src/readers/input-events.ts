/**
 * Linux input events of a keyboard-style USB reader, decoded from raw `struct input_event`
 * records. Key codes, not characters, are decoded, so the console's keyboard layout does not
 * matter. A record is a timeval (two longs: 16 bytes on 64-bit userspace, 8 on 32-bit) followed by
 * type (u16), code (u16) and value (s32), in the machine's byte order (little-endian on a Pi).
 */

export type RecordSize = 16 | 24;

const EV_KEY = 1;
const KEY_PRESS = 1;
const ENTER = "\n";

/** Key codes from linux/input-event-codes.h of the keys a badge reader types. */
const KEY_CHARACTERS: Record<number, string> = {
  2: "1",
  3: "2",
  4: "3",
  5: "4",
  6: "5",
  7: "6",
  8: "7",
  9: "8",
  10: "9",
  11: "0",
  12: "-",
  18: "E",
  28: ENTER,
  30: "A",
  32: "D",
  33: "F",
  46: "C",
  48: "B",
  51: ",",
  52: ".",
  57: " ",
  71: "7",
  72: "8",
  73: "9",
  75: "4",
  76: "5",
  77: "6",
  79: "1",
  80: "2",
  81: "3",
  82: "0",
  83: ".",
  96: ENTER,
};

/** Keys that only modify others (shift, caps lock, num lock) and so type nothing. */
const MODIFIER_KEYS = new Set([42, 54, 58, 69]);

/** A key the reader should never type; it spoils the line so that the line is dropped, not misread. */
const UNKNOWN_KEY = "?";

export function recordSizeForArch(arch: string): RecordSize {
  return ["arm", "ia32", "mips", "mipsel", "ppc"].includes(arch) ? 16 : 24;
}

/** Turns raw event bytes into the text typed, with "\n" for Enter; keeps a partial record for the next chunk. */
export class InputEventDecoder {
  #pending: Buffer = Buffer.alloc(0);

  constructor(readonly recordSize: RecordSize) {}

  push(chunk: Uint8Array): string {
    const bytes =
      this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : Buffer.from(chunk);
    const timevalSize = this.recordSize - 8;
    let text = "";
    let at = 0;
    for (; at + this.recordSize <= bytes.length; at += this.recordSize) {
      const type = bytes.readUInt16LE(at + timevalSize);
      const code = bytes.readUInt16LE(at + timevalSize + 2);
      const value = bytes.readInt32LE(at + timevalSize + 4);
      if (type !== EV_KEY || value !== KEY_PRESS || MODIFIER_KEYS.has(code)) continue;
      text += KEY_CHARACTERS[code] ?? UNKNOWN_KEY;
    }
    this.#pending = bytes.subarray(at);
    return text;
  }

  /** Forgets a partial record, as after the device went away. */
  reset(): void {
    this.#pending = Buffer.alloc(0);
  }
}
