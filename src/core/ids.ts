import { randomFillSync } from "node:crypto";

/**
 * A UUID of version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Entry ids
 * made this way are unique like random ones, but sort by creation time, so that a new entry's
 * key lands on the last page of the primary-key index instead of a random page of a large
 * journal (a page written to the WAL and checkpointed again for every clock-out). A wrong clock
 * only costs that locality, never uniqueness.
 */
export function timeOrderedUuid(at: Date): string {
  const bytes = randomFillSync(new Uint8Array(16));
  let ms = Math.max(0, Math.trunc(at.getTime()));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
