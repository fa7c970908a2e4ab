import { describe, expect, it } from "vitest";
import { type BadgeFormat, parseBadgeAs } from "../../src/badges/badge-id.js";
import type { Decoded } from "../../src/readers/decoded.js";
import { LineDecoder, LineFramer, MAX_LINE_LENGTH } from "../../src/readers/line-parser.js";
import { randomBytes, randomChunks, randomHexId, randomInt, seededRandom } from "./frames.js";

function summary(decoded: Decoded[]): string[] {
  return decoded.map((item) => {
    if (item.kind === "badge")
      return `badge ${item.read.badgeId}/${item.read.knownBits} ${item.read.raw}`;
    if (item.kind === "noise") return `noise ${item.bytes}`;
    return `dropped ${item.raw}: ${item.reason}`;
  });
}

function decodeAll(format: BadgeFormat, chunks: string[]): string[] {
  const decoder = new LineDecoder(format);
  return summary([...chunks.flatMap((chunk) => decoder.push(chunk)), ...decoder.reset()]);
}

describe("LineDecoder", () => {
  it.each([
    ["hex10", ["0F00A1B2C3\r\n"], ["badge 0F00A1B2C3/40 0F00A1B2C3"]],
    [
      "hex10",
      ["0f00a1b2c3\n1122334455\r"],
      ["badge 0F00A1B2C3/40 0f00a1b2c3", "badge 1122334455/40 1122334455"],
    ],
    ["hex10", ["0F00A1", "B2C3\n"], ["badge 0F00A1B2C3/40 0F00A1B2C3"]],
    ["hex10", ["\r\n\r\n  \n"], []],
    ["dec10", ["0010597059\r\n"], ["badge 0000A1B2C3/32 0010597059"]],
    ["wiegand26", ["161,45763\n"], ["badge 0000A1B2C3/24 161,45763"]],
    [
      "dec10",
      ["0F00A1B2C3\n"],
      [
        'dropped 0F00A1B2C3: badge "0F00A1B2C3" is not a 10-digit decimal badge number such as 0010597059 (format dec10); it reads as hex10: set reader.format to "hex10"',
      ],
    ],
    [
      "hex10",
      ["0000000000\n"],
      [
        'dropped 0000000000: badge "0000000000" is a ghost ID (all zeros or all ones) that readers produce from noise, not a real badge (format hex10)',
      ],
    ],
    [
      "hex10",
      [`${"7".repeat(100)}\n0F00A1B2C3\n`],
      [
        `dropped ${"7".repeat(MAX_LINE_LENGTH)}: line of 100 characters is longer than ${MAX_LINE_LENGTH}, longer than any badge`,
        "badge 0F00A1B2C3/40 0F00A1B2C3",
      ],
    ],
    ["hex10", ["0F00A1B2C3"], ["dropped 0F00A1B2C3: line without an end when the input closed"]],
    [
      "hex10",
      ["0F\u00e9\n"],
      [
        'dropped 0F\\xc3\\xa9: badge "0F\\\\xc3\\\\xa9" is not a hex badge ID: expected 10 hex digits such as 0F00A1B2C3 (case, spaces and separators do not matter) (format hex10)',
      ],
    ],
  ] as const)("reads %s from %j", (format, chunks, expected) => {
    expect(decodeAll(format, [...chunks])).toEqual(expected);
  });

  it("keeps no more than the longest line in memory however long the garbage runs", () => {
    const framer = new LineFramer(10);
    framer.push("x".repeat(100_000));
    expect(framer.push("\n")).toEqual([{ kind: "overlong", length: 100_000, raw: "x".repeat(10) }]);
  });
});

describe("LineDecoder fuzzed", () => {
  it.each(["hex10", "dec10", "wiegand26"] as const)(
    "yields exactly the valid %s lines of 2000 random streams, however they are chunked",
    (format) => {
      const random = seededRandom(format.length * 7919);
      const samples: Record<BadgeFormat, () => string> = {
        hex10: () => randomHexId(random),
        dec10: () => String(randomInt(random, 4294967296)).padStart(10, "0"),
        wiegand26: () => `${randomInt(random, 256)},${randomInt(random, 65536)}`,
      };
      let badges = 0;
      for (let round = 0; round < 2000; round++) {
        const parts: Buffer[] = [];
        for (let i = 0; i < 1 + randomInt(random, 6); i++) {
          const choice = randomInt(random, 3);
          if (choice === 0) parts.push(randomBytes(random, randomInt(random, 60)));
          else {
            const line = Buffer.from(samples[format](), "latin1");
            if (choice === 2 && line.length > 0)
              line[randomInt(random, line.length)] = randomInt(random, 256);
            parts.push(line, Buffer.from(["\n", "\r\n", "\r"][randomInt(random, 3)] ?? "\n"));
          }
        }
        const stream = Buffer.concat(parts);
        const decoder = new LineDecoder(format);
        const decoded = randomChunks(random, stream).flatMap((chunk) => decoder.push(chunk));
        const lines = stream.toString("latin1").split(/[\r\n]/);
        lines.pop();
        const expected = lines.flatMap((line) => {
          if (line.length > MAX_LINE_LENGTH || !/^[\x20-\x7e]*$/.test(line)) return [];
          const result = parseBadgeAs(line, format);
          return result.ok ? [result.id] : [];
        });
        const ids = decoded.flatMap((item) => (item.kind === "badge" ? [item.read.badgeId] : []));
        expect(ids).toEqual(expected);
        badges += ids.length;
      }
      expect(badges).toBeGreaterThan(1000);
    },
  );
});
