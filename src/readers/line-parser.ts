import { BADGE_FORMATS, type BadgeFormat, parseBadgeAs } from "../badges/badge-id.js";
import { type Decoded, renderBytes } from "./decoded.js";

/**
 * The `line` protocol: one badge per line, ended by CR, LF or CRLF. A line longer than any badge
 * form is dropped without being kept in memory, so a reader sending garbage without line ends
 * cannot grow the buffer.
 *
 * Why not @serialport/parser-readline: its DelimiterParser keeps everything before the delimiter
 * in one Buffer, concatenated anew per chunk, with no limit, which is the very growth this must
 * stop; it splits on one delimiter sequence, where readers end lines with CR, LF or CRLF; and a
 * guard in front of it that bounds a line must find the line ends and count the bytes itself,
 * which is all this framer does, leaving the stream nothing to add but a tick of delay.
 */

/** Longest line kept; the longest badge form with separators ("0F:00:A1:B2:C3") is 14. */
export const MAX_LINE_LENGTH = 40;

const CR = 0x0d;
const LF = 0x0a;

export type LineEvent =
  | { kind: "line"; text: string }
  | { kind: "overlong" | "unterminated"; length: number; raw: string };

export class LineFramer {
  #line: number[] = [];
  #length = 0;

  constructor(readonly maxLength = MAX_LINE_LENGTH) {}

  push(chunk: Uint8Array | string): LineEvent[] {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    const out: LineEvent[] = [];
    for (const byte of bytes) {
      if (byte === CR || byte === LF) this.#endLine(out);
      else {
        this.#length++;
        if (this.#line.length < this.maxLength) this.#line.push(byte);
      }
    }
    return out;
  }

  /** Forgets a line without its end, as after the port closed; it is reported, not decoded. */
  reset(): LineEvent[] {
    if (this.#length === 0) return [];
    const event: LineEvent = {
      kind: "unterminated",
      length: this.#length,
      raw: renderBytes(this.#line),
    };
    this.#clear();
    return [event];
  }

  #endLine(out: LineEvent[]): void {
    if (this.#length > this.maxLength) {
      out.push({ kind: "overlong", length: this.#length, raw: renderBytes(this.#line) });
    } else if (this.#length > 0) {
      out.push({ kind: "line", text: renderBytes(this.#line) });
    }
    this.#clear();
  }

  #clear(): void {
    this.#line = [];
    this.#length = 0;
  }
}

/** Decodes one line in the configured form; blank lines are skipped, others become a drop with the reason. */
export function decodeLine(text: string, format: BadgeFormat): Decoded[] {
  if (text.trim() === "") return [];
  const result = parseBadgeAs(text, format);
  if (!result.ok) {
    const fitting = BADGE_FORMATS.find((other) => other !== format && parseBadgeAs(text, other).ok);
    const hint = fitting ? `; it reads as ${fitting}: set reader.format to "${fitting}"` : "";
    return [{ kind: "dropped", reason: `${result.reason} (format ${format})${hint}`, raw: text }];
  }
  return [{ kind: "badge", read: { badgeId: result.id, knownBits: result.knownBits, raw: text } }];
}

/** Frames lines and decodes each: the whole `line` protocol for a stream of bytes. */
export class LineDecoder {
  readonly #framer: LineFramer;

  constructor(
    readonly format: BadgeFormat,
    maxLength = MAX_LINE_LENGTH,
  ) {
    this.#framer = new LineFramer(maxLength);
  }

  push(chunk: Uint8Array | string): Decoded[] {
    return this.#framer.push(chunk).flatMap((event) => this.#decode(event));
  }

  reset(): Decoded[] {
    return this.#framer.reset().flatMap((event) => this.#decode(event));
  }

  #decode(event: LineEvent): Decoded[] {
    if (event.kind === "line") return decodeLine(event.text, this.format);
    if (event.kind === "unterminated") {
      return [
        { kind: "dropped", reason: "line without an end when the input closed", raw: event.raw },
      ];
    }
    return [
      {
        kind: "dropped",
        reason: `line of ${event.length} characters is longer than ${this.#framer.maxLength}, longer than any badge`,
        raw: event.raw,
      },
    ];
  }
}
