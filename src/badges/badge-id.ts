/**
 * The canonical ID of a 125 kHz EM4100 badge: the 10 uppercase hex characters of its 40-bit ID,
 * as an RDM6300 frame carries it. Every reader and every admin command normalises to this form.
 *
 * Some readers only deliver part of the ID: the 10-digit decimal printed on many cards is the low
 * 32 bits, and the Wiegand-26 form `FFF,CCCCC` is the low 24 bits. Such an ID keeps the unknown
 * high bits zero and says how many bits it knows; two IDs name the same badge when the bits both
 * know agree.
 */
export type BadgeId = string;

export type KnownBits = 40 | 32 | 24;

/** A badge ID together with how many of its low bits are known. */
export interface BadgeIdentity {
  badgeId: BadgeId;
  knownBits: KnownBits;
}

export type BadgeIdResult =
  | { ok: true; id: BadgeId; knownBits: KnownBits }
  | { ok: false; reason: string };

/** How a badge is written: hex10 `0F00A1B2C3`, dec10 `0010597059`, wiegand26 `161,45763`. */
export const BADGE_FORMATS = ["hex10", "dec10", "wiegand26"] as const;
export type BadgeFormat = (typeof BADGE_FORMATS)[number];

const ACCEPTED_FORMS =
  "accepted: 10 hex digits such as 0F00A1B2C3 (any case; spaces, colons, dots and dashes ignored), " +
  "the 10-digit decimal printed on cards such as 0010597059 (at most 4294967295), " +
  "or facility,card such as 161,45763 (facility 0 to 255, card 0 to 65535)";

const MAX_DEC10 = 0xffff_ffff;

function fail(input: string, problem: string): BadgeIdResult {
  return { ok: false, reason: `badge ${JSON.stringify(input)} ${problem}` };
}

function ghostReason(input: string): BadgeIdResult {
  return fail(
    input,
    "is a ghost ID (all zeros or all ones) that readers produce from noise, not a real badge",
  );
}

function lowBitsMask(knownBits: KnownBits): bigint {
  return (1n << BigInt(knownBits)) - 1n;
}

function isGhostValue(value: bigint, knownBits: KnownBits): boolean {
  return value === 0n || value === lowBitsMask(knownBits);
}

function fromValue(input: string, value: bigint, knownBits: KnownBits): BadgeIdResult {
  if (isGhostValue(value, knownBits)) return ghostReason(input);
  return { ok: true, id: value.toString(16).toUpperCase().padStart(10, "0"), knownBits };
}

/** Accepts any case and ignores spaces, colons, dashes and dots between the hex digits. */
export function parseHexBadgeId(input: string): BadgeIdResult {
  const compact = input
    .trim()
    .replace(/^0x/i, "")
    .replace(/[\s:.-]/g, "")
    .toUpperCase();
  if (!/^[0-9A-F]{10}$/.test(compact)) {
    return fail(
      input,
      "is not a hex badge ID: expected 10 hex digits such as 0F00A1B2C3 (case, spaces and separators do not matter)",
    );
  }
  return fromValue(input, BigInt(`0x${compact}`), 40);
}

/** The 10-digit decimal of the low 32 bits, as printed on many cards and sent by USB readers. */
export function parseDec10BadgeId(input: string): BadgeIdResult {
  const digits = input.trim();
  if (!/^[0-9]{10}$/.test(digits)) {
    return fail(input, "is not a 10-digit decimal badge number such as 0010597059");
  }
  const value = BigInt(digits);
  if (value > BigInt(MAX_DEC10)) {
    return fail(input, `is above 4294967295, the largest 10-digit decimal badge number`);
  }
  return fromValue(input, value, 32);
}

/** Wiegand-26 facility,card: facility 8 bits and card 16 bits, the low 24 bits of the badge. */
export function parseWiegandBadgeId(input: string): BadgeIdResult {
  const match = /^\s*(\d{1,3})\s*,\s*(\d{1,5})\s*$/.exec(input);
  if (!match) {
    return fail(input, "is not facility,card such as 161,45763");
  }
  const facility = Number(match[1]);
  const card = Number(match[2]);
  if (facility > 255) return fail(input, `has facility ${facility}; allowed 0 to 255`);
  if (card > 65535) return fail(input, `has card ${card}; allowed 0 to 65535`);
  return fromValue(input, (BigInt(facility) << 16n) | BigInt(card), 24);
}

const PARSERS: Record<BadgeFormat, (input: string) => BadgeIdResult> = {
  hex10: parseHexBadgeId,
  dec10: parseDec10BadgeId,
  wiegand26: parseWiegandBadgeId,
};

/** Parses one badge written in a known form. */
export function parseBadgeAs(input: string, format: BadgeFormat): BadgeIdResult {
  return PARSERS[format](input);
}

/**
 * Parses a badge typed by a person in any accepted form. Ten plain digits that fit in 32 bits
 * read both as hex and as the decimal printed on cards, so they are refused as ambiguous unless
 * `format` says which form is meant.
 */
export function parseBadgeInput(input: string, format?: BadgeFormat): BadgeIdResult {
  if (format) return parseBadgeAs(input, format);
  const trimmed = input.trim();
  if (trimmed.includes(",")) return parseWiegandBadgeId(input);
  if (/^[0-9]{10}$/.test(trimmed) && BigInt(trimmed) <= BigInt(MAX_DEC10)) {
    const asHex = parseHexBadgeId(trimmed);
    const asDec = parseDec10BadgeId(trimmed);
    if (!asDec.ok && !asHex.ok) return asDec;
    const hexReading = asHex.ok ? asHex.id : "a ghost ID";
    const decReading = asDec.ok ? formatBadge({ badgeId: asDec.id, knownBits: 32 }) : "a ghost ID";
    return fail(
      input,
      `is ambiguous: as hex it is ${hexReading}, as the decimal printed on cards it is ${decReading}. ` +
        `Write hex as 0x${trimmed}, or name the form explicitly (hex10 or dec10)`,
    );
  }
  const hex = parseHexBadgeId(input);
  if (hex.ok || /ghost/.test(hex.reason)) return hex;
  return fail(input, `is not a badge ID; ${ACCEPTED_FORMS}`);
}

/** True for all zeros or all ones in the known bits: readers make these from noise. */
export function isGhostBadgeId(id: BadgeId, knownBits: KnownBits = 40): boolean {
  if (!/^[0-9A-F]{10}$/.test(id)) return false;
  return isGhostValue(BigInt(`0x${id}`) & lowBitsMask(knownBits), knownBits);
}

/** Same badge when the low bits that both IDs know agree. */
export function sameBadge(a: BadgeIdentity, b: BadgeIdentity): boolean {
  const mask = lowBitsMask(Math.min(a.knownBits, b.knownBits) as KnownBits);
  return (BigInt(`0x${a.badgeId}`) & mask) === (BigInt(`0x${b.badgeId}`) & mask);
}

/** For people: the full ID, or the known low hex digits marked as partial. */
export function formatBadge(badge: BadgeIdentity): string {
  if (badge.knownBits === 40) return badge.badgeId;
  const digits = badge.knownBits / 4;
  return `…${badge.badgeId.slice(10 - digits)} (low ${badge.knownBits} bits)`;
}
