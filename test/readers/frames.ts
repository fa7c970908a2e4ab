/** Test helpers: RDM6300 frames and a seeded PRNG so that fuzz failures replay. */

import { randomInt } from "../../bench/random.js";

export { randomInt, seededRandom } from "../../bench/random.js";
export { checksumOf, rdm6300Frame } from "../../bench/rdm6300-frame.js";

export function randomHexId(random: () => number): string {
  let id = "";
  for (let i = 0; i < 10; i++) id += "0123456789ABCDEF"[randomInt(random, 16)];
  return id;
}

export function randomBytes(random: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => randomInt(random, 256)));
}

/** Splits bytes at random points, as a serial port delivers them. */
export function randomChunks(random: () => number, bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + randomInt(random, 20);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** Builds a Wiegand frame with correct parity around the data bits. */
export function wiegandFrame(value: number, dataBits: 24 | 32): number[] {
  const data = [...value.toString(2).padStart(dataBits, "0")].map(Number);
  const half = dataBits / 2;
  const sum = (bits: number[]) => bits.reduce((a, b) => a + b, 0);
  const even = sum(data.slice(0, half)) % 2;
  const odd = 1 - (sum(data.slice(half)) % 2);
  return [even, ...data, odd];
}
