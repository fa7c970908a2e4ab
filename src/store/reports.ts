import { type Db, fromDbTime, statement, toDbTime } from "./database.js";
import type { TapOutcome, TapReasonCode } from "./journal.js";

/**
 * Read-only queries for the admin's reports. They only read, so they cannot disturb the daemon
 * writing the same file.
 */

export interface OpenShiftView {
  email: string;
  badgeName: string | null;
  start: Date;
  /** False when the clock was not synchronised at the clock-in tap. */
  startSynced: boolean;
}

export function openShifts(db: Db): OpenShiftView[] {
  const rows = statement(
    db,
    "SELECT email, badge_name, start_at, start_synced FROM open_shifts ORDER BY start_at",
  ).all() as {
    email: string;
    badge_name: string | null;
    start_at: string;
    start_synced: number;
  }[];
  return rows.map((row) => ({
    email: row.email,
    badgeName: row.badge_name,
    start: fromDbTime(row.start_at),
    startSynced: row.start_synced === 1,
  }));
}

export interface TapView {
  id: number;
  at: Date;
  badgeId: string;
  knownBits: 24 | 32 | 40;
  email: string | null;
  outcome: TapOutcome;
  reason: string | null;
  reasonCode: TapReasonCode | null;
  clockSynced: boolean;
  entryId: string | null;
  /** Tapped by PIN on the kiosk's touch screen (source "pin"), not at the reader. */
  byPin: boolean;
}

const TAP_COLUMNS =
  "id, wall_at, badge_id, known_bits, email, outcome, reason, reason_code, clock_synced, entry_id, source";

interface TapRow {
  id: number;
  wall_at: string;
  badge_id: string;
  known_bits: 24 | 32 | 40;
  email: string | null;
  outcome: TapOutcome;
  reason: string | null;
  reason_code: TapReasonCode | null;
  clock_synced: number;
  entry_id: string | null;
  source: string;
}

function toTapView(row: TapRow): TapView {
  return {
    id: row.id,
    at: fromDbTime(row.wall_at),
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    email: row.email,
    outcome: row.outcome,
    reason: row.reason,
    reasonCode: row.reason_code,
    clockSynced: row.clock_synced === 1,
    entryId: row.entry_id,
    byPin: row.source === "pin",
  };
}

/** Journal taps whose wall-clock time lies in [from, to), in journal order. */
export function tapsBetween(db: Db, from: Date, to: Date): TapView[] {
  const rows = statement(
    db,
    `SELECT ${TAP_COLUMNS} FROM taps WHERE wall_at >= ? AND wall_at < ? ORDER BY id`,
  ).all(toDbTime(from), toDbTime(to)) as TapRow[];
  return rows.map(toTapView);
}

/** The badge a tap read, as the journal holds it; for an entry, its clock-in tap. */
export function tapBadge(
  db: Db,
  tapId: number,
): { badgeId: string; knownBits: 24 | 32 | 40 } | undefined {
  const row = statement(db, "SELECT badge_id, known_bits FROM taps WHERE id = ?").get(tapId) as
    | { badge_id: string; known_bits: 24 | 32 | 40 }
    | undefined;
  return row ? { badgeId: row.badge_id, knownBits: row.known_bits } : undefined;
}

export interface TapFilter {
  email: string | null;
  /** Taps whose badge agrees with this one in the bits both know. */
  badge: { badgeId: string; knownBits: 24 | 32 | 40 } | null;
  from: Date | null;
  to: Date | null;
  limit: number;
}

/** Journal taps that match every filter given, newest first, at most `limit`. */
export function tapsMatching(db: Db, filter: TapFilter): TapView[] {
  const rows = statement(
    db,
    `SELECT ${TAP_COLUMNS}
       FROM taps
       WHERE (@email IS NULL OR email = @email)
         AND (@badge IS NULL OR substr(badge_id, -(min(known_bits, @bits) / 4)) = substr(@badge, -(min(known_bits, @bits) / 4)))
         AND (@from IS NULL OR wall_at >= @from)
         AND (@to IS NULL OR wall_at < @to)
       ORDER BY id DESC LIMIT @limit`,
  ).all({
    email: filter.email,
    badge: filter.badge?.badgeId ?? null,
    bits: filter.badge?.knownBits ?? 40,
    from: filter.from ? toDbTime(filter.from) : null,
    to: filter.to ? toDbTime(filter.to) : null,
    limit: filter.limit,
  }) as TapRow[];
  return rows.map(toTapView);
}

/** Entries starting in [from, to) whose clock-in or clock-out was tapped by PIN, by id. */
export function entriesTappedByPin(db: Db, from: Date, to: Date): Set<string> {
  const rows = statement(
    db,
    `SELECT e.id FROM entries e
       WHERE e.start_at >= ? AND e.start_at < ?
         AND EXISTS (SELECT 1 FROM taps t WHERE t.id IN (e.start_tap_id, e.end_tap_id) AND t.source = 'pin')`,
  ).all(toDbTime(from), toDbTime(to)) as { id: string }[];
  return new Set(rows.map((row) => row.id));
}
