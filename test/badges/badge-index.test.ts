import { describe, expect, it } from "vitest";
import { type BadgeIdentity, sameBadge } from "../../src/badges/badge-id.js";
import { BadgeIndex } from "../../src/badges/badge-index.js";

const badge = (badgeId: string, knownBits: 24 | 32 | 40 = 40): BadgeIdentity => ({
  badgeId,
  knownBits,
});

describe("BadgeIndex", () => {
  const items = [
    badge("0F00A1B2C3"),
    badge("1100A1B2C3"),
    badge("0000A1B2C3", 32),
    badge("0000A1B2C3", 24),
    badge("0000FFB2C3", 24),
    badge("2200000001"),
  ];
  const index = new BadgeIndex(items);

  it.each([
    [badge("0F00A1B2C3"), ["0F00A1B2C3/40", "0000A1B2C3/32", "0000A1B2C3/24"]],
    [badge("0000A1B2C3", 32), ["0F00A1B2C3/40", "1100A1B2C3/40", "0000A1B2C3/32", "0000A1B2C3/24"]],
    [badge("0000A1B2C3", 24), ["0F00A1B2C3/40", "1100A1B2C3/40", "0000A1B2C3/32", "0000A1B2C3/24"]],
    [badge("3300A1B2C3"), ["0000A1B2C3/32", "0000A1B2C3/24"]],
    [badge("2200000001"), ["2200000001/40"]],
    [badge("0000000002", 24), []],
  ])("finds what %j names, exactly as sameBadge decides", (query, expected) => {
    const found = index.matching(query).map((item) => `${item.badgeId}/${item.knownBits}`);
    expect(found.sort()).toEqual([...expected].sort());
    const brute = items.filter((item) => sameBadge(item, query));
    expect(found.length).toBe(brute.length);
  });
});
