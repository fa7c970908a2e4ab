import type { BadgeRead } from "./reader.js";

/**
 * What a pure parser makes of received bytes. Parsers report what they throw away as well as what
 * they accept, so that a noisy cable or a misconfigured reader shows in the counters and logs.
 */
export type Decoded =
  | { kind: "badge"; read: BadgeRead }
  | { kind: "dropped"; reason: string; raw: string }
  | { kind: "noise"; bytes: number; raw: string };

const NAMED_BYTES: Record<number, string> = {
  2: "<STX>",
  3: "<ETX>",
  9: "<TAB>",
  10: "<LF>",
  13: "<CR>",
};

/** Longest rendering kept of thrown-away bytes; the count is always exact. */
const MAX_RAW_BYTES = 64;

/** Bytes as readable text for logs and the journal: printable ASCII as is, the rest named or escaped. */
export function renderBytes(bytes: ArrayLike<number>): string {
  let out = "";
  const shown = Math.min(bytes.length, MAX_RAW_BYTES);
  for (let i = 0; i < shown; i++) {
    const byte = bytes[i] ?? 0;
    if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += NAMED_BYTES[byte] ?? `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return bytes.length > shown ? `${out}…(+${bytes.length - shown} bytes)` : out;
}
