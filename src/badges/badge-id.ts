/**
 * The canonical ID of a 125 kHz EM4100 badge: the 10 uppercase hex characters of its 40-bit ID,
 * as an RDM6300 frame carries it. Every reader and every admin command normalises to this form.
 */
export type BadgeId = string;

export type BadgeIdResult = { ok: true; id: BadgeId } | { ok: false; reason: string };

const GHOST_IDS = new Set(["0000000000", "FFFFFFFFFF"]);

/** Accepts any case and ignores spaces, colons, dashes and dots between the hex digits. */
export function parseHexBadgeId(input: string): BadgeIdResult {
  const compact = input.replace(/[\s:.-]/g, "").toUpperCase();
  if (!/^[0-9A-F]{10}$/.test(compact)) {
    return {
      ok: false,
      reason: `badge ${JSON.stringify(input)} is not a badge ID: expected 10 hex digits such as 0F00A1B2C3 (case, spaces and separators do not matter)`,
    };
  }
  if (GHOST_IDS.has(compact)) {
    return {
      ok: false,
      reason: `badge ${JSON.stringify(input)} is a ghost ID (all zeros or all F) that readers produce from noise, not a real badge`,
    };
  }
  return { ok: true, id: compact };
}

export function isGhostBadgeId(id: BadgeId): boolean {
  return GHOST_IDS.has(id);
}
