/**
 * An RDM6300 repeats its frame for as long as the card stays in the field. Reads of the same badge
 * closer than the window to the previous read of it are one tap; the window slides while the card
 * keeps repeating, so a card left on the reader is one tap, not one every window. Time is passed
 * in (monotonic milliseconds) so that this stays pure.
 */
export class RepeatSuppressor {
  readonly #lastSeen = new Map<string, number>();

  constructor(readonly windowMs: number) {}

  /** True when this read is a new tap, false when it repeats the previous read of the badge. */
  accept(badgeId: string, nowMs: number): boolean {
    for (const [id, seenAt] of this.#lastSeen) {
      if (nowMs - seenAt >= this.windowMs) this.#lastSeen.delete(id);
    }
    const repeated = this.#lastSeen.has(badgeId);
    if (this.windowMs > 0) this.#lastSeen.set(badgeId, nowMs);
    return !repeated;
  }
}
