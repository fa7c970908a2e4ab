import type { RoundingPolicy } from "../pairing/booked-span.js";
import type {
  BadgeOwner,
  EntryDraft,
  OpenShift,
  ReviewDraft,
  TapIntent,
  TapTime,
  UserState,
} from "../pairing/pairing.js";

/**
 * What a door or the site records about a tap's pairing, as JSON: the same text in the door's
 * SQLite (site_taps, site_users) and the site's PostgreSQL (taps.state_after, user_state).
 * Instants travel as ISO 8601 UTC.
 */

/** A door's own decision on a tap it could not pair in the site: what the merge compares. */
export interface DoorDecision {
  owner: BadgeOwner;
  intent?: TapIntent;
  newEntryId: string;
  entry: EntryDraft<string> | null;
  review: ReviewDraft<string> | null;
  stateAfter: UserState<string>;
}

export const EMPTY_STATE: UserState<string> = { openShift: null, lastAccepted: null };

type Json = Record<string, unknown>;

function time(value: unknown): TapTime {
  const raw = value as Json;
  return {
    at: new Date(String(raw.at)),
    monoMs: Number(raw.monoMs),
    bootId: String(raw.bootId),
    synced: raw.synced === true,
  };
}

function shift(value: unknown): OpenShift<string> {
  const raw = value as Json;
  return {
    badgeId: String(raw.badgeId),
    badgeName: (raw.badgeName as string | null) ?? null,
    startTapId: String(raw.startTapId),
    start: time(raw.start),
    timeTypeId: String(raw.timeTypeId),
    projectId: (raw.projectId as string | null) ?? null,
    ...(typeof raw.disputed === "string" ? { disputed: raw.disputed } : {}),
  };
}

/** Reads a user's state back from the JSON `JSON.stringify` made of it. */
export function parseState(value: unknown): UserState<string> {
  const raw = (typeof value === "string" ? JSON.parse(value) : value) as Json | null;
  if (!raw) return EMPTY_STATE;
  return {
    openShift: raw.openShift ? shift(raw.openShift) : null,
    lastAccepted: raw.lastAccepted ? time(raw.lastAccepted) : null,
  };
}

function entry(value: unknown): EntryDraft<string> | null {
  if (!value) return null;
  const raw = value as Json;
  return {
    id: String(raw.id),
    email: String(raw.email),
    start: new Date(String(raw.start)),
    end: new Date(String(raw.end)),
    timeTypeId: String(raw.timeTypeId),
    projectId: (raw.projectId as string | null) ?? null,
    comment: String(raw.comment ?? ""),
    startTapId: String(raw.startTapId),
    endTapId: String(raw.endTapId),
    held: raw.held === true,
    rounding: (raw.rounding as RoundingPolicy | null) ?? null,
  };
}

export function parseDoorDecision(text: string): DoorDecision {
  const raw = JSON.parse(text) as Json;
  const review = raw.review as Json | null;
  return {
    owner: raw.owner as BadgeOwner,
    ...(raw.intent ? { intent: raw.intent as TapIntent } : {}),
    newEntryId: String(raw.newEntryId),
    entry: entry(raw.entry),
    review: review
      ? { shift: shift(review.shift), email: String(review.email), reason: String(review.reason) }
      : null,
    stateAfter: parseState(raw.stateAfter),
  };
}
