import type pg from "pg";
import { formatBadge } from "../../badges/badge-id.js";
import { serialiseRounding } from "../../pairing/booked-span.js";
import type { BadgeLookup } from "../badges.js";
import type { EntryOverride } from "../entry-overrides.js";
import type { EntryState, OutboxEntry } from "../outbox.js";
import type { TapView } from "../reports.js";
import type { Review } from "../reviews.js";
import { siteBadgeLookup } from "./badges.js";
import type { SiteClient } from "./connection.js";
import { toSiteEntry } from "./outbox.js";
import { ENTRIES_CHANNEL } from "./taps.js";

/**
 * The site's entries, reviews and taps as an admin reads and changes them from any door (queue,
 * review, export). A change locks the entry's row (FOR UPDATE), the lock the doors' sync takes
 * when it claims work, and refuses to touch an entry whose claim is live: the claiming door may
 * be sending it. Nothing here writes `ambiguous` or `sent_as` (contract 3).
 */

type Queryable = Pick<pg.Pool | SiteClient, "query">;

export type SiteAdminEntry = OutboxEntry & {
  door: string | null;
  override: EntryOverride | null;
  claim: { by: string; until: Date } | null;
};
export type SiteAdminReview = Review & { door: string | null };
export type SiteAdminTap = TapView & { door: string | null };

/** "front/12" as the door and its own tap number. */
function splitKey(key: string | null): { door: string | null; tapId: number | null } {
  if (key === null) return { door: null, tapId: null };
  const at = key.lastIndexOf("/");
  return at < 0
    ? { door: null, tapId: Number(key) }
    : { door: key.slice(0, at), tapId: Number(key.slice(at + 1)) };
}

/** The columns toSiteEntry does not read, which an admin also sees. */
type EntryRow = Parameters<typeof toSiteEntry>[0] & {
  start_tap: string;
  end_tap: string | null;
  claimed_by: string | null;
  lease_until: Date | null;
  claim_live: boolean;
  override: EntryOverride | null;
};

function toEntry(row: EntryRow): SiteAdminEntry {
  const { startTap, endTap, createdBy: _, claimedBy: __, ...entry } = toSiteEntry(row);
  const start = splitKey(startTap);
  return {
    ...entry,
    startTapId: start.tapId ?? 0,
    endTapId: splitKey(endTap).tapId,
    door: start.door,
    override: row.override,
    claim:
      row.claim_live && row.claimed_by && row.lease_until
        ? { by: row.claimed_by, until: row.lease_until }
        : null,
  };
}

/** Every column of an entry, its override, and whether a door's claim on it is live now. */
const ENTRY_SELECT = `SELECT e.*, o.fields AS override,
    (e.claimed_by IS NOT NULL AND e.lease_until > now()) AS claim_live
  FROM entries e LEFT JOIN entry_overrides o ON o.entry_id = e.id`;

/** Entries in these states (every state for null), oldest shift first. */
export async function siteEntriesIn(
  db: Queryable,
  states: readonly EntryState[] | null,
  limit: number,
): Promise<SiteAdminEntry[]> {
  const rows = await db.query<EntryRow>(
    `${ENTRY_SELECT} WHERE $1::text[] IS NULL OR e.state = ANY($1::text[])
       ORDER BY e.start_at, e.id LIMIT $2`,
    [states ? [...states] : null, limit],
  );
  return rows.rows.map(toEntry);
}

export async function siteEntriesStartingBetween(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<SiteAdminEntry[]> {
  const rows = await db.query<EntryRow>(
    `${ENTRY_SELECT} WHERE e.start_at >= $1 AND e.start_at < $2 ORDER BY e.start_at, e.id`,
    [from, to],
  );
  return rows.rows.map(toEntry);
}

interface TapRow {
  terminal_id: string;
  tap_id: string;
  wall_at: Date;
  badge_id: string;
  known_bits: 24 | 32 | 40;
  email: string | null;
  outcome: TapView["outcome"];
  reason: string | null;
  reason_code: TapView["reasonCode"];
  clock_synced: boolean;
  entry_id: string | null;
  source: string;
}

/** Every door's taps whose wall-clock time lies in [from, to), in time order. */
export async function siteTapsBetween(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<SiteAdminTap[]> {
  const rows = await db.query<TapRow>(
    `SELECT terminal_id, tap_id, wall_at, badge_id, known_bits, email, outcome, reason, reason_code,
            clock_synced, entry_id, source
       FROM taps WHERE wall_at >= $1 AND wall_at < $2 ORDER BY wall_at, terminal_id, tap_id`,
    [from, to],
  );
  return rows.rows.map((row) => ({
    id: Number(row.tap_id),
    door: row.terminal_id,
    at: row.wall_at,
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    email: row.email,
    outcome: row.outcome,
    reason: row.reason,
    reasonCode: row.reason_code,
    clockSynced: row.clock_synced,
    entryId: row.entry_id,
    byPin: row.source === "pin",
  }));
}

export interface SiteLockedEntry {
  entry: SiteAdminEntry;
  badge: { text: string; lookup: BadgeLookup } | null;
}

/**
 * Locks one entry, or every refused one, for the rest of the transaction, each with the badge of
 * its clock-in tap as the site maps it today.
 */
export async function lockSiteEntries(
  client: SiteClient,
  target: { id: string } | { state: "refused" },
): Promise<SiteLockedEntry[]> {
  const rows =
    "id" in target
      ? await client.query<EntryRow>(`${ENTRY_SELECT} WHERE e.id = $1 FOR UPDATE OF e`, [target.id])
      : await client.query<EntryRow>(
          `${ENTRY_SELECT} WHERE e.state = 'refused' ORDER BY e.start_at, e.id FOR UPDATE OF e`,
        );
  const locked: SiteLockedEntry[] = [];
  for (const row of rows.rows) {
    const { door, tapId } = splitKey(row.start_tap);
    const tap = await client.query<{ badge_id: string; known_bits: 24 | 32 | 40 }>(
      "SELECT badge_id, known_bits FROM taps WHERE terminal_id = $1 AND tap_id = $2",
      [door, tapId],
    );
    const badge = tap.rows[0];
    locked.push({
      entry: toEntry(row),
      badge: badge
        ? {
            text: formatBadge({ badgeId: badge.badge_id, knownBits: badge.known_bits }),
            lookup: await siteBadgeLookup(client, badge.badge_id, badge.known_bits),
          }
        : null,
    });
  }
  return locked;
}

export type SiteEntryChange =
  | {
      kind: "reassign";
      id: string;
      fields: Pick<OutboxEntry, "email" | "timeTypeId" | "projectId">;
      override?: EntryOverride;
    }
  | { kind: "discard"; id: string };

/** Who acts, from which door, and when: kept with every admin event. */
export interface SiteActor {
  actor: string;
  terminalId: string;
  now: Date;
}

const NOT_CLAIMED = "NOT (claimed_by IS NOT NULL AND lease_until > now())";

/**
 * Applies changes to entries locked in this transaction. A reassigned entry goes back in line
 * (refused → pending) and wakes every door's sync; an expired claim is dropped with it.
 */
export async function applySiteEntryChanges(
  client: SiteClient,
  changes: readonly SiteEntryChange[],
  who: SiteActor,
): Promise<void> {
  for (const change of changes) {
    if (change.kind === "discard") {
      await client.query(
        `UPDATE entries SET state = 'discarded', next_attempt_at = NULL, updated_at = $2,
             claimed_by = NULL, lease_until = NULL
           WHERE id = $1 AND state IN ('held', 'pending', 'refused') AND ${NOT_CLAIMED}`,
        [change.id, who.now],
      );
      continue;
    }
    if (change.override) {
      await client.query(
        `INSERT INTO entry_overrides (entry_id, fields, set_at) VALUES ($1, $2, $3)
           ON CONFLICT (entry_id) DO UPDATE SET fields = EXCLUDED.fields, set_at = EXCLUDED.set_at`,
        [change.id, JSON.stringify(change.override), who.now],
      );
    }
    await client.query(
      `UPDATE entries SET email = $2, time_type_id = $3, project_id = $4,
           state = CASE state WHEN 'refused' THEN 'pending' ELSE state END,
           next_attempt_at = NULL, updated_at = $5, claimed_by = NULL, lease_until = NULL
         WHERE id = $1 AND state IN ('held', 'pending', 'refused') AND ${NOT_CLAIMED}`,
      [change.id, change.fields.email, change.fields.timeTypeId, change.fields.projectId, who.now],
    );
  }
  if (changes.some((change) => change.kind === "reassign")) {
    await client.query("SELECT pg_notify($1, 'admin')", [ENTRIES_CHANNEL]);
  }
}

export async function appendSiteAdminEvent(
  client: Queryable,
  event: { action: string; subject: string; detail: unknown },
  who: SiteActor,
): Promise<void> {
  await client.query(
    `INSERT INTO admin_events (at, action, subject, detail, actor, terminal_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      who.now,
      event.action,
      event.subject,
      JSON.stringify(event.detail ?? null),
      who.actor,
      who.terminalId,
    ],
  );
}

interface ReviewRow {
  id: string;
  email: string;
  badge_id: string;
  badge_name: string | null;
  start_tap: string;
  start_at: Date;
  time_type_id: string;
  project_id: string | null;
  reason: string;
  created_at: Date;
  resolution: Review["resolution"];
  resolved_at: Date | null;
  note: string | null;
  entry_id: string | null;
}

function toReview(row: ReviewRow): SiteAdminReview {
  const start = splitKey(row.start_tap);
  return {
    id: Number(row.id),
    email: row.email,
    badgeId: row.badge_id,
    badgeName: row.badge_name,
    startTapId: start.tapId ?? 0,
    start: row.start_at,
    timeTypeId: row.time_type_id,
    projectId: row.project_id,
    reason: row.reason,
    createdAt: row.created_at,
    resolution: row.resolution,
    resolvedAt: row.resolved_at,
    note: row.note,
    entryId: row.entry_id,
    door: start.door,
  };
}

export async function siteOpenReviews(db: Queryable): Promise<SiteAdminReview[]> {
  const rows = await db.query<ReviewRow>(
    "SELECT * FROM reviews WHERE resolution IS NULL ORDER BY start_at, id",
  );
  return rows.rows.map(toReview);
}

export async function siteReview(db: Queryable, id: number): Promise<SiteAdminReview | undefined> {
  const rows = await db.query<ReviewRow>("SELECT * FROM reviews WHERE id = $1", [id]);
  const row = rows.rows[0];
  return row ? toReview(row) : undefined;
}

/**
 * Resolves an open review as booked and queues its entry (clock-in tap: the review's), in the
 * caller's transaction; false when the review is missing or was resolved meanwhile.
 */
export async function bookSiteReview(
  client: SiteClient,
  id: number,
  entry: Pick<
    OutboxEntry,
    "id" | "email" | "start" | "end" | "rounding" | "timeTypeId" | "projectId" | "comment"
  >,
  who: SiteActor,
): Promise<boolean> {
  const resolved = await client.query<{ start_tap: string }>(
    `UPDATE reviews SET resolution = 'booked', resolved_at = $2, entry_id = $3
       WHERE id = $1 AND resolution IS NULL RETURNING start_tap`,
    [id, who.now, entry.id],
  );
  const startTap = resolved.rows[0]?.start_tap;
  if (startTap === undefined) return false;
  await client.query(
    `INSERT INTO entries (id, email, start_at, end_at, rounding, time_type_id, project_id, comment,
         start_tap, end_tap, state, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 'pending', $10, $11, $11)`,
    [
      entry.id,
      entry.email,
      entry.start,
      entry.end,
      serialiseRounding(entry.rounding),
      entry.timeTypeId,
      entry.projectId,
      entry.comment,
      startTap,
      who.terminalId,
      who.now,
    ],
  );
  await client.query("SELECT pg_notify($1, $2)", [ENTRIES_CHANNEL, entry.id]);
  return true;
}

/** Resolves an open review as not to be booked, keeping the reason; false when resolved. */
export async function discardSiteReview(
  client: SiteClient,
  id: number,
  note: string,
  who: SiteActor,
): Promise<boolean> {
  const resolved = await client.query(
    `UPDATE reviews SET resolution = 'discarded', resolved_at = $2, note = $3
       WHERE id = $1 AND resolution IS NULL`,
    [id, who.now, note],
  );
  return (resolved.rowCount ?? 0) > 0;
}
