import {
  type BadgeIdentity,
  formatBadge,
  parseBadgeAs,
  parseBadgeInput,
  parseDec10BadgeId,
  parseHexBadgeId,
} from "../badges/badge-id.js";
import type { BadgeIndex } from "../badges/badge-index.js";
import { AdminError } from "./errors.js";

/** How to read ten plain digits, which are valid both as hex and as the decimal printed on cards. */
export const DIGIT_FORMS = ["dec10", "hex10"] as const;
export type DigitForm = (typeof DIGIT_FORMS)[number];

/** Ten digits that also fit the card decimal's 32 bits: both readings are possible. */
const BOTH_READINGS = /^\s*[0-9]{10}\s*$/;
const MAX_DEC10 = 0xffff_ffff;

export interface TypedBadge {
  identity: BadgeIdentity;
  /** How a number that reads two ways was read, for the admin to see; null when it was plain. */
  note: string | null;
}

function identityOf(result: ReturnType<typeof parseBadgeAs>): BadgeIdentity | null {
  return result.ok ? { badgeId: result.id, knownBits: result.knownBits } : null;
}

/** Whether the terminal knows the badge by at least 32 bits: mapped, or tapped at the reader. */
function seenAs(reading: BadgeIdentity, seen: BadgeIndex<BadgeIdentity>): BadgeIdentity | null {
  return seen.matching(reading).find((known) => known.knownBits >= 32) ?? null;
}

function bothReadings(text: string, hex: BadgeIdentity | null, dec: BadgeIdentity | null): string {
  const hexText = hex ? `the hex ID ${hex.badgeId}` : "a hex ID that is not a real badge";
  const decText = dec
    ? `the decimal printed on the card, ${formatBadge(dec)}`
    : "a card decimal that is not a real badge";
  return `badge "${text}" is ten digits, which read two ways: as ${hexText}, or as ${decText}`;
}

/**
 * Reads a badge typed by an admin (or written in a CSV). Ten plain digits are never guessed: with
 * `digits` they are read that way; else they are read the one way the terminal has seen (a
 * mapping, or a tap at the reader), with a note saying so; else the admin is asked, with both
 * readings shown.
 */
export function readTypedBadge(
  input: string,
  digits: DigitForm | undefined,
  seen: BadgeIndex<BadgeIdentity>,
): TypedBadge {
  const text = input.trim();
  const twoWays = BOTH_READINGS.test(input) && Number(text) <= MAX_DEC10;
  if (!twoWays || digits) {
    const parsed = twoWays && digits ? parseBadgeAs(text, digits) : parseBadgeInput(input);
    if (!parsed.ok) throw new AdminError("ADM_INVALID", parsed.reason);
    return { identity: { badgeId: parsed.id, knownBits: parsed.knownBits }, note: null };
  }
  const hex = identityOf(parseHexBadgeId(text));
  const dec = identityOf(parseDec10BadgeId(text));
  const hexSeen = hex && seenAs(hex, seen);
  const decSeen = dec && seenAs(dec, seen);
  if (hex && hexSeen && !decSeen) {
    return {
      identity: hex,
      note: `${bothReadings(text, hex, dec)}; read as the hex ID because the terminal knows ${formatBadge(hexSeen)} and no badge with that card decimal`,
    };
  }
  if (dec && decSeen && !hexSeen) {
    return {
      identity: dec,
      note: `${bothReadings(text, hex, dec)}; read as the card decimal because the terminal knows ${formatBadge(decSeen)} and no badge with that hex ID`,
    };
  }
  if (!hex && !dec) {
    const parsed = parseHexBadgeId(text);
    throw new AdminError("ADM_INVALID", parsed.ok ? `badge "${text}" is not valid` : parsed.reason);
  }
  const knows =
    hexSeen && decSeen ? "the terminal knows a badge for each" : "the terminal knows neither";
  throw new AdminError(
    "ADM_DIGITS_NEEDED",
    `${bothReadings(text, hex, dec)}; ${knows}. Say which with --digits dec10 (the number printed on the card) or --digits hex10 (the ID the terminal logs), or write the hex ID as 0x${text}`,
  );
}

/**
 * A partial ID (decimal or facility,card) names the full badge when exactly one full ID the
 * terminal knows (mapped, or seen at the reader) agrees with its known bits.
 */
export function resolvePartial(
  badge: BadgeIdentity,
  seen: BadgeIndex<BadgeIdentity>,
): BadgeIdentity {
  if (badge.knownBits === 40) return badge;
  const full = new Set(
    seen
      .matching(badge)
      .filter((known) => known.knownBits === 40)
      .map((known) => known.badgeId),
  );
  const [only] = full;
  return full.size === 1 && only ? { badgeId: only, knownBits: 40 } : badge;
}
