import type { BadgeIdentity, KnownBits } from "./badge-id.js";

const WIDTHS: readonly KnownBits[] = [24, 32, 40];

/** The low `bits` of a canonical ID as hex digits; the ID's unknown high bits are zero. */
function lowDigits(badgeId: string, bits: KnownBits): string {
  return badgeId.slice(10 - bits / 4);
}

/**
 * Badges by the bits they know, so that "which of these name the same badge?" costs a few map
 * probes instead of a comparison with every badge: imports and reports stay linear in their size.
 * Two IDs name the same badge when the low bits both know agree (`sameBadge`), so each item is
 * filed under its known bits at every width up to them, and a question asks each class of items
 * at the width both sides know.
 */
export class BadgeIndex<T extends BadgeIdentity> {
  readonly #byKey = new Map<string, T[]>();

  constructor(items: Iterable<T> = []) {
    for (const item of items) this.add(item);
  }

  add(item: T): void {
    for (const width of WIDTHS) {
      if (width > item.knownBits) continue;
      const key = `${item.knownBits}:${width}:${lowDigits(item.badgeId, width)}`;
      const list = this.#byKey.get(key);
      if (list) list.push(item);
      else this.#byKey.set(key, [item]);
    }
  }

  /** Every item that names the same badge as `badge`, in the order they were added per class. */
  matching(badge: BadgeIdentity): T[] {
    const found: T[] = [];
    for (const held of WIDTHS) {
      const width = Math.min(held, badge.knownBits) as KnownBits;
      const list = this.#byKey.get(`${held}:${width}:${lowDigits(badge.badgeId, width)}`);
      if (list) found.push(...list);
    }
    return found;
  }
}
