import { MAX_LINE_BYTES } from "./protocol.js";

/**
 * Collects a socket's chunks into the first line, bounded: a peer that never sends a line end, or
 * sends megabytes, gets `tooLong` instead of growing the buffer.
 */
export class FirstLine {
  #buffered = "";
  #bytes = 0;

  /** The line once complete (without its end), "too-long" past the bound, else undefined. */
  push(chunk: Buffer | string): string | "too-long" | undefined {
    const text = chunk.toString();
    this.#bytes += Buffer.byteLength(text);
    const end = text.indexOf("\n");
    if (end >= 0) {
      const line = this.#buffered + text.slice(0, end);
      return Buffer.byteLength(line) > MAX_LINE_BYTES ? "too-long" : line;
    }
    if (this.#bytes > MAX_LINE_BYTES) return "too-long";
    this.#buffered += text;
    return undefined;
  }
}
