import { isGhostBadgeId } from "../badges/badge-id.js";
import { type Decoded, renderBytes } from "./decoded.js";

/**
 * RDM6300 frames: STX (0x02), 10 hex characters of the 40-bit ID, 2 hex characters of the XOR of
 * the 5 ID bytes, ETX (0x03). Anything between frames is noise; a frame that breaks off, has a
 * non-hex character or a wrong checksum is dropped, and the parser resyncs on the next STX.
 */

const STX = 0x02;
const ETX = 0x03;
const FRAME_LENGTH = 14;
const HEX_CHARS = 12;

function isHexDigit(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x46) ||
    (byte >= 0x61 && byte <= 0x66)
  );
}

function checkFrame(frame: readonly number[]): Decoded {
  const raw = renderBytes(frame);
  const text = String.fromCharCode(...frame.slice(1, 1 + HEX_CHARS)).toUpperCase();
  const id = text.slice(0, 10);
  let xor = 0;
  for (let i = 0; i < 10; i += 2) xor ^= Number.parseInt(id.slice(i, i + 2), 16);
  const sent = Number.parseInt(text.slice(10), 16);
  if (xor !== sent) {
    return {
      kind: "dropped",
      reason: `checksum ${text.slice(10)} does not match ${xor.toString(16).toUpperCase().padStart(2, "0")}, the XOR of the ID bytes`,
      raw,
    };
  }
  if (isGhostBadgeId(id)) {
    return { kind: "dropped", reason: `ghost ID ${id} (all zeros or all ones)`, raw };
  }
  return { kind: "badge", read: { badgeId: id, knownBits: 40, raw } };
}

export class Rdm6300Parser {
  #frame: number[] = [];
  #noise: number[] = [];
  #noiseCount = 0;

  push(chunk: Uint8Array): Decoded[] {
    const out: Decoded[] = [];
    for (const byte of chunk) this.#take(byte, out);
    this.#flushNoise(out);
    return out;
  }

  /** Forgets a half-read frame, as after the port closed; reports it as dropped. */
  reset(): Decoded[] {
    const out: Decoded[] = [];
    this.#dropFrame(out, "incomplete frame when the port closed");
    this.#flushNoise(out);
    return out;
  }

  #take(byte: number, out: Decoded[]): void {
    if (this.#frame.length === 0) {
      if (byte === STX) {
        this.#flushNoise(out);
        this.#frame.push(byte);
      } else this.#addNoise(byte);
      return;
    }
    if (byte === STX) {
      this.#dropFrame(out, `frame broken off after ${this.#frame.length} bytes by a new STX`);
      this.#frame.push(byte);
      return;
    }
    this.#frame.push(byte);
    const position = this.#frame.length - 1;
    if (position <= HEX_CHARS) {
      if (byte === ETX) {
        this.#dropFrame(out, `frame ended after ${position - 1} of 12 hex characters`);
      } else if (!isHexDigit(byte)) {
        this.#dropFrame(
          out,
          `byte 0x${byte.toString(16).padStart(2, "0")} at position ${position} is not a hex character`,
        );
      }
      return;
    }
    if (byte !== ETX) {
      this.#dropFrame(
        out,
        `no ETX after 12 hex characters (got 0x${byte.toString(16).padStart(2, "0")})`,
      );
      return;
    }
    out.push(checkFrame(this.#frame));
    this.#frame = [];
  }

  #dropFrame(out: Decoded[], reason: string): void {
    if (this.#frame.length === 0) return;
    out.push({ kind: "dropped", reason, raw: renderBytes(this.#frame) });
    this.#frame = [];
  }

  #addNoise(byte: number): void {
    this.#noiseCount++;
    if (this.#noise.length < FRAME_LENGTH * 4) this.#noise.push(byte);
  }

  #flushNoise(out: Decoded[]): void {
    if (this.#noiseCount === 0) return;
    const raw = renderBytes(this.#noise);
    const more = this.#noiseCount - this.#noise.length;
    out.push({
      kind: "noise",
      bytes: this.#noiseCount,
      raw: more > 0 ? `${raw}…(+${more} bytes)` : raw,
    });
    this.#noise = [];
    this.#noiseCount = 0;
  }
}
