import { type Db, fromDbTime, toDbTime } from "../store/database.js";

/**
 * Read-only queries for reports that no store class answers yet. They only read, so they cannot
 * disturb the daemon writing the same file.
 */

export interface OpenShiftView {
  email: string;
  badgeName: string | null;
  start: Date;
  /** False when the clock was not synchronised at the clock-in tap. */
  startSynced: boolean;
}

export function openShifts(db: Db): OpenShiftView[] {
  const rows = db
    .prepare("SELECT email, badge_name, start_at, start_synced FROM open_shifts ORDER BY start_at")
    .all() as {
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
  outcome: string;
  reason: string | null;
  clockSynced: boolean;
  entryId: string | null;
}

/** Journal taps whose wall-clock time lies in [from, to), in journal order. */
export function tapsBetween(db: Db, from: Date, to: Date): TapView[] {
  const rows = db
    .prepare(
      `SELECT id, wall_at, badge_id, known_bits, email, outcome, reason, clock_synced, entry_id
       FROM taps WHERE wall_at >= ? AND wall_at < ? ORDER BY id`,
    )
    .all(toDbTime(from), toDbTime(to)) as {
    id: number;
    wall_at: string;
    badge_id: string;
    known_bits: 24 | 32 | 40;
    email: string | null;
    outcome: string;
    reason: string | null;
    clock_synced: number;
    entry_id: string | null;
  }[];
  return rows.map((row) => ({
    id: row.id,
    at: fromDbTime(row.wall_at),
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    email: row.email,
    outcome: row.outcome,
    reason: row.reason,
    clockSynced: row.clock_synced === 1,
    entryId: row.entry_id,
  }));
}
