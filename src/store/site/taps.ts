import { parseRounding, serialiseRounding } from "../../pairing/booked-span.js";
import {
  type BadgeOwner,
  decideTap,
  type EntryDraft,
  type PairingSettings,
  type ReviewDraft,
  type TapIntent,
  type TapTime,
  type UserState,
} from "../../pairing/pairing.js";
import type { EntryDefaults, TapOutcome, TapRead, TapReasonCode } from "../journal.js";
import type { SiteVerdict } from "../site-journal.js";
import { EMPTY_STATE, parseState } from "../site-state.js";
import { siteBadgeLookup } from "./badges.js";
import { inTransaction, type SiteClient, type SitePool } from "./connection.js";

/**
 * Pairing in the site database: a tap of any door is paired under a per-user lock against the
 * user's state from every door, in one transaction with everything it decides. Taps are keyed by
 * (terminal, the door's own tap id), so recording one twice changes nothing.
 */

export const USERS_CHANNEL = "timeclock_users";
export const ENTRIES_CHANNEL = "timeclock_entries";

/** "terminal/number": a tap's key across the site. */
export function tapKey(terminalId: string, tapId: number): string {
  return `${terminalId}/${tapId}`;
}

/** The per-user lock: one transaction at a time pairs a user's taps, whichever door. */
export async function lockUser(client: SiteClient, email: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(7357, hashtext($1))", [email]);
}

export interface SiteTap {
  terminalId: string;
  tapId: number;
  read: TapRead;
  time: TapTime;
  intent?: TapIntent;
  newEntryId: string;
}

interface TapRowValues {
  outcome: TapOutcome;
  reason: string | null;
  reasonCode: TapReasonCode | null;
  email: string | null;
  owner: BadgeOwner | null;
  entryId: string | null;
  stateAfter: UserState<string> | null;
  provisional: boolean;
}

export async function insertSiteTap(
  client: SiteClient,
  tap: SiteTap,
  values: TapRowValues,
): Promise<boolean> {
  const inserted = await client.query(
    `INSERT INTO taps (terminal_id, tap_id, badge_id, known_bits, source, wall_at, mono_ms, boot_id,
         clock_synced, outcome, reason, reason_code, email, owner, intent, new_entry_id, entry_id,
         state_after, provisional)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (terminal_id, tap_id) DO NOTHING`,
    [
      tap.terminalId,
      tap.tapId,
      tap.read.badgeId,
      tap.read.knownBits,
      tap.read.source,
      tap.time.at,
      tap.time.monoMs,
      tap.time.bootId,
      tap.time.synced,
      values.outcome,
      values.reason,
      values.reasonCode,
      values.email,
      values.owner ? JSON.stringify(values.owner) : null,
      tap.intent ? JSON.stringify(tap.intent) : null,
      tap.newEntryId,
      values.entryId,
      values.stateAfter ? JSON.stringify(values.stateAfter) : null,
      values.provisional,
    ],
  );
  return (inserted.rowCount ?? 0) > 0;
}

export async function insertSiteEntry(
  client: SiteClient,
  entry: EntryDraft<string>,
  createdBy: string,
  now: Date,
): Promise<void> {
  await client.query(
    `INSERT INTO entries (id, email, start_at, end_at, rounding, time_type_id, project_id, comment,
         start_tap, end_tap, state, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT (id) DO NOTHING`,
    [
      entry.id,
      entry.email,
      entry.start,
      entry.end,
      serialiseRounding(entry.rounding),
      entry.timeTypeId,
      entry.projectId,
      entry.comment,
      entry.startTapId,
      entry.endTapId,
      entry.held ? "held" : "pending",
      createdBy,
      now,
    ],
  );
}

export interface SiteReviewDraft {
  email: string;
  badgeId: string;
  badgeName: string | null;
  startTap: string;
  start: Date;
  endTap: string | null;
  end: Date | null;
  byTap: string;
  timeTypeId: string;
  projectId: string | null;
  reason: string;
  entryId: string | null;
}

export async function insertSiteReview(
  client: SiteClient,
  review: SiteReviewDraft,
  now: Date,
): Promise<void> {
  await client.query(
    `INSERT INTO reviews (email, badge_id, badge_name, start_tap, start_at, end_tap, end_at, by_tap,
         time_type_id, project_id, reason, created_at, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      review.email,
      review.badgeId,
      review.badgeName,
      review.startTap,
      review.start,
      review.endTap,
      review.end,
      review.byTap,
      review.timeTypeId,
      review.projectId,
      review.reason,
      now,
      review.entryId,
    ],
  );
}

/** A pairing's review draft as the site keeps it. */
export function reviewFromDraft(
  draft: ReviewDraft<string>,
  byTap: string,
  closedBy: { key: string; at: Date } | null,
): SiteReviewDraft {
  return {
    email: draft.email,
    badgeId: draft.shift.badgeId,
    badgeName: draft.shift.badgeName,
    startTap: draft.shift.startTapId,
    start: draft.shift.start.at,
    endTap: closedBy?.key ?? null,
    end: closedBy?.at ?? null,
    byTap,
    timeTypeId: draft.shift.timeTypeId,
    projectId: draft.shift.projectId,
    reason: draft.reason,
    entryId: null,
  };
}

export async function saveUserState(
  client: SiteClient,
  email: string,
  state: UserState<string>,
  byTap: string,
  now: Date,
): Promise<void> {
  await client.query(
    `INSERT INTO user_state (email, state, by_tap, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO UPDATE SET state = excluded.state, by_tap = excluded.by_tap,
         updated_at = excluded.updated_at`,
    [email, JSON.stringify(state), byTap, now],
  );
  await client.query("SELECT pg_notify($1, $2)", [USERS_CHANNEL, email]);
}

export async function loadUserState(client: SiteClient, email: string): Promise<UserState<string>> {
  const row = await client.query<{ state: unknown }>(
    "SELECT state FROM user_state WHERE email = $1",
    [email],
  );
  return row.rows[0] ? parseState(row.rows[0].state) : EMPTY_STATE;
}

/** The site's word on a tap recorded before (a retry after a lost answer). */
async function recordedVerdict(client: SiteClient, tap: SiteTap): Promise<SiteVerdict | null> {
  const found = await client.query<{
    outcome: TapOutcome;
    reason: string | null;
    reason_code: TapReasonCode | null;
    email: string | null;
    owner: BadgeOwner | null;
    state_after: unknown;
  }>(
    "SELECT outcome, reason, reason_code, email, owner, state_after FROM taps WHERE terminal_id = $1 AND tap_id = $2",
    [tap.terminalId, tap.tapId],
  );
  const row = found.rows[0];
  if (!row) return null;
  const entry = await client.query<{
    id: string;
    email: string;
    start_at: Date;
    end_at: Date;
    rounding: string | null;
    time_type_id: string;
    project_id: string | null;
    comment: string | null;
    start_tap: string;
    state: string;
  }>("SELECT * FROM entries WHERE end_tap = $1", [tapKey(tap.terminalId, tap.tapId)]);
  const made = entry.rows[0];
  return {
    outcome: row.outcome,
    reason: row.reason,
    reasonCode: row.reason_code,
    email: row.email,
    badgeName: row.owner?.badgeName ?? null,
    entry: made
      ? {
          id: made.id,
          email: made.email,
          start: made.start_at,
          end: made.end_at,
          timeTypeId: made.time_type_id,
          projectId: made.project_id,
          comment: made.comment ?? "",
          startTapId: made.start_tap,
          endTapId: tapKey(tap.terminalId, tap.tapId),
          held: made.state === "held",
          rounding: parseRounding(made.rounding),
        }
      : null,
    reviewed: row.reason_code === "to-review",
    stateAfter: row.state_after ? parseState(row.state_after) : null,
  };
}

export interface PairOptions {
  settings: PairingSettings;
  defaults: EntryDefaults;
  /** The longest any statement of the transaction may take, so a tap never waits long. */
  statementTimeoutMs: number;
  now: Date;
}

/** Pairs one tap of a door in the site database and records all it decides. */
export async function pairSiteTap(
  pool: SitePool,
  tap: SiteTap,
  options: PairOptions,
): Promise<SiteVerdict> {
  return inTransaction(pool, async (client) => {
    await client.query(
      `SET LOCAL statement_timeout = ${Math.max(1, Math.round(options.statementTimeoutMs))}`,
    );
    await client.query(
      `SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.statementTimeoutMs))}`,
    );
    const before = await recordedVerdict(client, tap);
    if (before) return before;
    const key = tapKey(tap.terminalId, tap.tapId);
    const lookup = await siteBadgeLookup(client, tap.read.badgeId, tap.read.knownBits);
    if (lookup.kind !== "found") {
      const reasonCode: TapReasonCode =
        lookup.kind === "unknown" ? "unknown-badge" : "ambiguous-badge";
      const reason =
        lookup.kind === "unknown"
          ? "unknown badge: not mapped to any user (timeclock badges add)"
          : `ambiguous badge: the bits this reader sees match ${lookup.badges.length} mapped badges (timeclock badges list); map the badge by its full 10-hex ID`;
      const values = {
        outcome: "refused" as const,
        reason,
        reasonCode,
        email: null,
        owner: null,
        entryId: null,
        stateAfter: null,
        provisional: false,
      };
      await insertSiteTap(client, tap, values);
      return { ...values, badgeName: null, entry: null, reviewed: false };
    }
    const badge = lookup.badge;
    const owner: BadgeOwner = {
      email: badge.email,
      badgeId: badge.badgeId,
      badgeName: badge.name,
      timeTypeId: badge.timeTypeId ?? options.defaults.timeTypeId,
      projectId: badge.projectId ?? options.defaults.projectId,
    };
    await lockUser(client, owner.email);
    const state = await loadUserState(client, owner.email);
    const decision = decideTap<string>(
      state,
      {
        tapId: key,
        time: tap.time,
        owner,
        newEntryId: tap.newEntryId,
        ...(tap.intent ? { intent: tap.intent } : {}),
      },
      options.settings,
    );
    const entry = decision.kind === "clock-out" ? decision.entry : null;
    const review = decision.kind === "ignored" ? null : decision.review;
    const why =
      decision.kind === "ignored"
        ? { reason: decision.reason, code: decision.code }
        : review
          ? { reason: review.reason, code: "to-review" as const }
          : null;
    await insertSiteTap(client, tap, {
      outcome: decision.kind,
      reason: why?.reason ?? null,
      reasonCode: why?.code ?? null,
      email: owner.email,
      owner,
      entryId: entry?.id ?? null,
      stateAfter: decision.state,
      provisional: false,
    });
    if (entry) {
      await insertSiteEntry(client, entry, tap.terminalId, options.now);
      await client.query("SELECT pg_notify($1, $2)", [ENTRIES_CHANNEL, entry.id]);
    }
    if (review) {
      const closed = decision.kind === "clock-out" ? { key, at: tap.time.at } : null;
      await insertSiteReview(client, reviewFromDraft(review, key, closed), options.now);
    }
    await saveUserState(client, owner.email, decision.state, key, options.now);
    return {
      outcome: decision.kind,
      reason: why?.reason ?? null,
      reasonCode: why?.code ?? null,
      email: owner.email,
      badgeName: badge.name,
      entry,
      reviewed: review !== null,
      stateAfter: decision.state,
    };
  });
}
