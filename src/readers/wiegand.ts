import { parseDec10BadgeId, parseWiegandBadgeId } from "../badges/badge-id.js";
import type { Decoded } from "./decoded.js";

/**
 * Wiegand on two GPIO lines: a falling edge on D0 is a 0 bit, on D1 a 1 bit, about 2 ms apart;
 * a frame ends when the lines stay quiet. The quiet gap is measured on the kernel's timestamps of
 * the edges, so a busy Node process cannot split or merge frames; a timer only decides when to
 * stop waiting for more bits.
 */

export type WiegandBits = 26 | 34;

export interface Edge {
  line: "d0" | "d1";
  /** Kernel timestamp of the falling edge in nanoseconds. */
  ns: bigint;
}

/** A pause longer than this between two pulses ends a frame; pulses within a frame are ~2 ms apart. */
export const FRAME_GAP_NS = 25_000_000n;

function ones(bits: readonly number[]): number {
  return bits.reduce((sum, bit) => sum + bit, 0);
}

/** Checks parity and turns a frame into a badge, or says why it is dropped. */
export function decodeWiegandFrame(bits: readonly number[], expected: WiegandBits): Decoded {
  const raw = bits.join("");
  if (bits.length !== expected) {
    const hint =
      bits.length === 26 || bits.length === 34 ? `; set reader.bits to ${bits.length}` : "";
    return {
      kind: "dropped",
      reason: `${bits.length}-bit frame where reader.bits is ${expected}${hint}`,
      raw,
    };
  }
  const half = bits.length / 2;
  if (ones(bits.slice(0, half)) % 2 !== 0 || ones(bits.slice(half)) % 2 !== 1) {
    return { kind: "dropped", reason: `parity check failed on a ${bits.length}-bit frame`, raw };
  }
  const data = bits.slice(1, -1);
  const value = data.reduce((sum, bit) => sum * 2 + bit, 0);
  const result =
    expected === 26
      ? parseWiegandBadgeId(`${Math.floor(value / 65536)},${value % 65536}`)
      : parseDec10BadgeId(String(value).padStart(10, "0"));
  if (!result.ok) return { kind: "dropped", reason: result.reason, raw };
  return { kind: "badge", read: { badgeId: result.id, knownBits: result.knownBits, raw } };
}

/** Collects edges into frames by the gap between their kernel timestamps. */
export class WiegandFramer {
  #bits: number[] = [];
  #lastNs: bigint | undefined;

  constructor(readonly expected: WiegandBits) {}

  push(edge: Edge): Decoded[] {
    const out =
      this.#lastNs !== undefined && edge.ns - this.#lastNs > FRAME_GAP_NS ? this.flush() : [];
    this.#bits.push(edge.line === "d1" ? 1 : 0);
    this.#lastNs = edge.ns;
    return out;
  }

  /** Ends the frame in progress, when the lines have been quiet long enough. */
  flush(): Decoded[] {
    const bits = this.#bits;
    this.#bits = [];
    this.#lastNs = undefined;
    return bits.length > 0 ? [decodeWiegandFrame(bits, this.expected)] : [];
  }
}

/**
 * One line of gpiomon output in the format the reader asks for: the line offset, then the
 * timestamp as "seconds nanoseconds" (libgpiod 1.x, `%o %s %n`), "seconds.nanoseconds" or raw
 * nanoseconds (libgpiod 2.x, `%o %S`).
 */
export function parseGpiomonLine(
  text: string,
  lines: { d0: number; d1: number },
): Edge | { problem: string } {
  const match = /^\s*(\d+)\s+(\d+)(?:\.(\d{1,9})|\s+(\d+))?\s*$/.exec(text);
  if (!match) return { problem: `unexpected gpiomon output ${JSON.stringify(text)}` };
  const offset = Number(match[1]);
  const whole = BigInt(match[2] ?? "0");
  let ns: bigint;
  if (match[3] !== undefined) ns = whole * 1_000_000_000n + BigInt(match[3].padEnd(9, "0"));
  else if (match[4] !== undefined) ns = whole * 1_000_000_000n + BigInt(match[4]);
  else ns = whole;
  if (offset === lines.d0) return { line: "d0", ns };
  if (offset === lines.d1) return { line: "d1", ns };
  return { problem: `gpiomon reported line ${offset}, which is neither D0 nor D1` };
}

/** The arguments that make gpiomon print falling edges in the format parsed above. */
export function gpiomonArguments(
  major: 1 | 2,
  chip: string,
  lines: { d0: number; d1: number },
): string[] {
  const offsets = [String(lines.d0), String(lines.d1)];
  if (major === 1) return ["-b", "-f", "-F", "%o %s %n", chip, ...offsets];
  return ["-e", "falling", "-F", "%o %S", "-c", chip, ...offsets];
}

/** The libgpiod major version from `gpiomon --version`, e.g. "gpiomon (libgpiod) v1.6.3". */
export function gpiomonMajor(versionOutput: string): 1 | 2 | undefined {
  const match = /v(\d+)\.\d+/.exec(versionOutput);
  if (match?.[1] === "1") return 1;
  if (match?.[1] === "2") return 2;
  return undefined;
}
