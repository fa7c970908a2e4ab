/** Test helpers: RDM6300 frames and a seeded PRNG so that fuzz failures replay. */

export function checksumOf(id: string): string {
  let xor = 0;
  for (let i = 0; i < 10; i += 2) xor ^= Number.parseInt(id.slice(i, i + 2), 16);
  return xor.toString(16).toUpperCase().padStart(2, "0");
}

export function rdm6300Frame(id: string, checksum = checksumOf(id)): Buffer {
  return Buffer.concat([
    Buffer.from([0x02]),
    Buffer.from(id + checksum, "latin1"),
    Buffer.from([0x03]),
  ]);
}

/** mulberry32: small, fast and good enough to spread fuzz cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

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
