import { describe, expect, it } from "vitest";
import type { Decoded } from "../../src/readers/decoded.js";
import {
  decodeWiegandFrame,
  type Edge,
  gpiomonArguments,
  gpiomonMajor,
  parseGpiomonLine,
  WiegandFramer,
} from "../../src/readers/wiegand.js";
import { randomInt, seededRandom, wiegandFrame } from "./frames.js";

function summary(decoded: Decoded[]): string[] {
  return decoded.map((item) =>
    item.kind === "badge"
      ? `badge ${item.read.badgeId}/${item.read.knownBits}`
      : item.kind === "dropped"
        ? `dropped: ${item.reason}`
        : "noise",
  );
}

const FACILITY_161_CARD_45763 = (161 << 16) | 45763;

describe("decodeWiegandFrame", () => {
  it.each([
    [
      "26 bits, facility 161 card 45763",
      wiegandFrame(FACILITY_161_CARD_45763, 24),
      26,
      "badge 0000A1B2C3/24",
    ],
    ["34 bits", wiegandFrame(0x00a1b2c3, 32), 34, "badge 0000A1B2C3/32"],
    ["34 bits, top bit set", wiegandFrame(0xf0a1b2c3, 32), 34, "badge 00F0A1B2C3/32"],
    [
      "a flipped data bit",
      wiegandFrame(FACILITY_161_CARD_45763, 24).map((bit, i) => (i === 5 ? 1 - bit : bit)),
      26,
      "dropped: parity check failed on a 26-bit frame",
    ],
    [
      "a flipped trailing parity bit",
      wiegandFrame(FACILITY_161_CARD_45763, 24).map((bit, i) => (i === 25 ? 1 - bit : bit)),
      26,
      "dropped: parity check failed on a 26-bit frame",
    ],
    [
      "34 bits where 26 are set",
      wiegandFrame(0x00a1b2c3, 32),
      26,
      "dropped: 34-bit frame where reader.bits is 26; set reader.bits to 34",
    ],
    ["a stray pulse", [1], 26, "dropped: 1-bit frame where reader.bits is 26"],
    ["all zeros", wiegandFrame(0, 24), 26, "ghost ID"],
    ["all ones", wiegandFrame(0xffffff, 24), 26, "ghost ID"],
  ] as const)("decodes %s", (_name, bits, expected, result) => {
    expect(summary([decodeWiegandFrame(bits, expected)])[0]).toContain(result);
  });

  it("yields a badge only for frames with valid parity, and then the data they carry (5000 random frames)", () => {
    const random = seededRandom(26);
    let badges = 0;
    for (let round = 0; round < 5000; round++) {
      const value = randomInt(random, 1 << 24);
      const bits = wiegandFrame(value, 24);
      const flips = randomInt(random, 3);
      for (let i = 0; i < flips; i++) {
        const at = randomInt(random, 26);
        bits[at] = 1 - (bits[at] ?? 0);
      }
      const decoded = decodeWiegandFrame(bits, 26);
      if (decoded.kind !== "badge") continue;
      badges++;
      const data = bits.slice(1, -1).reduce((sum, bit) => sum * 2 + bit, 0);
      expect(decoded.read.badgeId).toBe(data.toString(16).toUpperCase().padStart(10, "0"));
      expect(flips === 1).toBe(false);
    }
    expect(badges).toBeGreaterThan(1000);
  });
});

function edges(bits: number[], startNs: bigint, spacingNs = 2_000_000n): Edge[] {
  return bits.map((bit, i) => ({ line: bit ? "d1" : "d0", ns: startNs + BigInt(i) * spacingNs }));
}

describe("WiegandFramer", () => {
  it("splits frames on a kernel-time gap and decodes the last one on flush", () => {
    const framer = new WiegandFramer(26);
    const first = edges(wiegandFrame(FACILITY_161_CARD_45763, 24), 1_000_000_000n);
    const second = edges(wiegandFrame(1, 24), 2_000_000_000n);
    const out = [...first, ...second].flatMap((edge) => framer.push(edge));
    expect(summary(out)).toEqual(["badge 0000A1B2C3/24"]);
    expect(summary(framer.flush())).toEqual(["badge 0000000001/24"]);
    expect(framer.flush()).toEqual([]);
  });

  it("keeps pulses 20 ms apart in one frame and splits at 30 ms", () => {
    const framer = new WiegandFramer(26);
    const slow = edges(wiegandFrame(FACILITY_161_CARD_45763, 24), 0n, 20_000_000n);
    expect(slow.flatMap((edge) => framer.push(edge))).toEqual([]);
    expect(summary(framer.flush())).toEqual(["badge 0000A1B2C3/24"]);
    const tooSlow = edges([1, 0, 1], 0n, 30_000_000n);
    expect(tooSlow.flatMap((edge) => framer.push(edge)).length).toBe(2);
  });
});

describe("gpiomon output", () => {
  const lines = { d0: 17, d1: 27 };
  it.each([
    ["17 1234 5678", { line: "d0", ns: 1_234_000_005_678n }],
    ["27 1234 999999999", { line: "d1", ns: 1_234_999_999_999n }],
    ["27 1234.000005678", { line: "d1", ns: 1_234_000_005_678n }],
    ["17 1234.5", { line: "d0", ns: 1_234_500_000_000n }],
    ["17 1234000005678", { line: "d0", ns: 1_234_000_005_678n }],
    ["22 1234 5678", { problem: "gpiomon reported line 22, which is neither D0 nor D1" }],
    ["event: FALLING EDGE", { problem: 'unexpected gpiomon output "event: FALLING EDGE"' }],
  ])("parses %j", (text, expected) => {
    expect(parseGpiomonLine(text, lines)).toEqual(expected);
  });

  it.each([
    [1, ["-b", "-f", "-F", "%o %s %n", "gpiochip0", "17", "27"]],
    [2, ["-e", "falling", "-F", "%o %S", "-c", "gpiochip0", "17", "27"]],
  ] as const)("asks libgpiod %i for falling edges in that format", (major, args) => {
    expect(gpiomonArguments(major, "gpiochip0", lines)).toEqual(args);
  });

  it.each([
    ["gpiomon (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski", 1],
    ["gpiomon (libgpiod) v2.2.1", 2],
    ["something else", undefined],
  ])("reads the version of %j", (output, major) => {
    expect(gpiomonMajor(output)).toBe(major);
  });
});
