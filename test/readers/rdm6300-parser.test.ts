import { describe, expect, it } from "vitest";
import type { Decoded } from "../../src/readers/decoded.js";
import { Rdm6300Parser } from "../../src/readers/rdm6300-parser.js";
import {
  checksumOf,
  randomBytes,
  randomChunks,
  randomHexId,
  randomInt,
  rdm6300Frame,
  seededRandom,
} from "./frames.js";

function parseAll(chunks: Buffer[]): Decoded[] {
  const parser = new Rdm6300Parser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.reset()];
}

function summary(decoded: Decoded[]): string[] {
  return decoded.map((item) => {
    if (item.kind === "badge") return `badge ${item.read.badgeId} ${item.read.raw}`;
    if (item.kind === "noise") return `noise ${item.bytes} ${item.raw}`;
    return `dropped ${item.raw}: ${item.reason}`;
  });
}

const stx = Buffer.from([0x02]);
const etx = Buffer.from([0x03]);
const text = (value: string) => Buffer.from(value, "latin1");

describe("Rdm6300Parser", () => {
  it.each([
    ["one frame", [rdm6300Frame("0F00A1B2C3")], ["badge 0F00A1B2C3 <STX>0F00A1B2C3DF<ETX>"]],
    [
      "lowercase hex",
      [rdm6300Frame("0f00a1b2c3", "df")],
      ["badge 0F00A1B2C3 <STX>0f00a1b2c3df<ETX>"],
    ],
    [
      "a frame split over three chunks",
      [text("\x020F00"), text("A1B2C3D"), text("F\x03")],
      ["badge 0F00A1B2C3 <STX>0F00A1B2C3DF<ETX>"],
    ],
    [
      "noise before and after",
      [Buffer.concat([text("\r\nzz"), rdm6300Frame("0F00A1B2C3"), text("\xff")])],
      ["noise 4 <CR><LF>zz", "badge 0F00A1B2C3 <STX>0F00A1B2C3DF<ETX>", "noise 1 \\xff"],
    ],
    [
      "a bad checksum",
      [rdm6300Frame("0F00A1B2C3", "20")],
      ["dropped <STX>0F00A1B2C320<ETX>: checksum 20 does not match DF, the XOR of the ID bytes"],
    ],
    [
      "a frame broken off by the next one",
      [Buffer.concat([text("\x020F00A1"), rdm6300Frame("1122334455")])],
      [
        "dropped <STX>0F00A1: frame broken off after 7 bytes by a new STX",
        `badge 1122334455 <STX>1122334455${checksumOf("1122334455")}<ETX>`,
      ],
    ],
    [
      "a short frame",
      [Buffer.concat([stx, text("0F00A1"), etx])],
      ["dropped <STX>0F00A1<ETX>: frame ended after 6 of 12 hex characters"],
    ],
    [
      "a non-hex character",
      [text("\x020F00G1B2C31F\x03")],
      [
        "dropped <STX>0F00G: byte 0x47 at position 5 is not a hex character",
        "noise 8 1B2C31F<ETX>",
      ],
    ],
    [
      "a missing ETX",
      [text("\x020F00A1B2C31F\x04")],
      ["dropped <STX>0F00A1B2C31F\\x04: no ETX after 12 hex characters (got 0x04)"],
    ],
    [
      "ghost frames",
      [rdm6300Frame("0000000000"), rdm6300Frame("FFFFFFFFFF")],
      [
        "dropped <STX>000000000000<ETX>: ghost ID 0000000000 (all zeros or all ones)",
        "dropped <STX>FFFFFFFFFFFF<ETX>: ghost ID FFFFFFFFFF (all zeros or all ones)",
      ],
    ],
    [
      "a half frame when the port closes",
      [text("\x020F00A1")],
      ["dropped <STX>0F00A1: incomplete frame when the port closed"],
    ],
  ])("handles %s", (_name, chunks, expected) => {
    expect(summary(parseAll(chunks))).toEqual(expected);
  });

  it("forgets a half-read frame on reset so the next frame reads cleanly", () => {
    const parser = new Rdm6300Parser();
    parser.push(text("\x020F00A1B2"));
    expect(parser.reset()).toHaveLength(1);
    expect(summary(parser.push(rdm6300Frame("0F00A1B2C3")))).toEqual([
      "badge 0F00A1B2C3 <STX>0F00A1B2C3DF<ETX>",
    ]);
  });

  it("counts long noise exactly and keeps only a bounded rendering", () => {
    const decoded = parseAll([Buffer.alloc(10_000, 0x41)]);
    expect(decoded).toHaveLength(1);
    const [noise] = decoded;
    expect(noise?.kind === "noise" && noise.bytes).toBe(10_000);
    expect(noise?.kind === "noise" && noise.raw.length).toBeLessThan(200);
  });
});

const STX = String.fromCharCode(0x02);
const ETX = String.fromCharCode(0x03);

/** An independent reading of the stream: every STX, 12 hex, ETX with a matching checksum. */
function framesIn(bytes: Buffer): string[] {
  const ids: string[] = [];
  for (const match of bytes
    .toString("latin1")
    .matchAll(new RegExp(`${STX}([0-9A-Fa-f]{10})([0-9A-Fa-f]{2})${ETX}`, "g"))) {
    const id = (match[1] ?? "").toUpperCase();
    if (checksumOf(id) === (match[2] ?? "").toUpperCase() && !/^(0{10}|F{10})$/.test(id))
      ids.push(id);
  }
  return ids;
}

function mutate(random: () => number, frame: Buffer): Buffer {
  const bytes = [...frame];
  const at = randomInt(random, bytes.length);
  switch (randomInt(random, 4)) {
    case 0:
      bytes[at] = randomInt(random, 256);
      break;
    case 1:
      bytes.splice(at, 1);
      break;
    case 2:
      bytes.splice(at, 0, randomInt(random, 256));
      break;
    default:
      bytes.length = at;
  }
  return Buffer.from(bytes);
}

describe("Rdm6300Parser fuzzed", () => {
  it("yields exactly the valid frames of 3000 random streams, however they are chunked", () => {
    const random = seededRandom(6300);
    let badges = 0;
    for (let round = 0; round < 3000; round++) {
      const parts: Buffer[] = [];
      for (let i = 0; i < 1 + randomInt(random, 8); i++) {
        const choice = randomInt(random, 4);
        if (choice === 0) parts.push(randomBytes(random, randomInt(random, 30)));
        else if (choice === 1) parts.push(rdm6300Frame(randomHexId(random)));
        else parts.push(mutate(random, rdm6300Frame(randomHexId(random))));
      }
      const stream = Buffer.concat(parts);
      const expected = framesIn(stream);
      const decoded = parseAll(randomChunks(random, stream));
      const ids = decoded.flatMap((item) => (item.kind === "badge" ? [item.read.badgeId] : []));
      expect(ids).toEqual(expected);
      const noise = decoded.reduce(
        (sum, item) => sum + (item.kind === "noise" ? item.bytes : 0),
        0,
      );
      expect(noise + ids.length * 14).toBeLessThanOrEqual(stream.length);
      badges += ids.length;
    }
    expect(badges).toBeGreaterThan(1000);
  });

  it("never reads a badge from a mutated copy of a valid frame unless the mutation kept it valid", () => {
    const random = seededRandom(41);
    for (let round = 0; round < 5000; round++) {
      const id = randomHexId(random);
      const mutated = mutate(random, rdm6300Frame(id));
      const ids = parseAll([mutated]).flatMap((item) =>
        item.kind === "badge" ? [item.read.badgeId] : [],
      );
      expect(ids).toEqual(framesIn(mutated));
      for (const read of ids) expect(read).toBe(id);
    }
  });
});
