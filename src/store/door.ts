import { parseRounding, type RoundingPolicy } from "../pairing/booked-span.js";
import { type Db, fromDbTime, statement, toDbTime } from "./database.js";
import type { EntryState } from "./outbox.js";
import { parseState } from "./site-state.js";

/**
 * Read-only queries for the screen at the door: one person's shifts of a week, their open shift,
 * how much waits to be booked. The display process asks them after a tap was committed, on its
 * own connection, so they never hold up the terminal writing the same file. In site mode the
 * entries live in the site database; what a door's journal holds of them is read by the
 * `door…` queries below.
 */

export interface PersonEntry {
  id: string;
  start: Date;
  end: Date;
  rounding: RoundingPolicy | null;
  state: EntryState;
}

/** The person's entries that start in [from, to), any state. */
export function entriesOfPerson(db: Db, email: string, from: Date, to: Date): PersonEntry[] {
  const rows = statement(
    db,
    `SELECT id, start_at, end_at, rounding, state FROM entries
       WHERE email = ? AND start_at >= ? AND start_at < ? ORDER BY start_at`,
  ).all(email, toDbTime(from), toDbTime(to)) as {
    id: string;
    start_at: string;
    end_at: string;
    rounding: string | null;
    state: EntryState;
  }[];
  return rows.map((row) => ({
    id: row.id,
    start: fromDbTime(row.start_at),
    end: fromDbTime(row.end_at),
    rounding: parseRounding(row.rounding),
    state: row.state,
  }));
}

/** The person's entry by id, if it exists. */
export function entryOfPerson(db: Db, id: string): PersonEntry | undefined {
  const row = statement(
    db,
    "SELECT id, start_at, end_at, rounding, state FROM entries WHERE id = ?",
  ).get(id) as
    | { id: string; start_at: string; end_at: string; rounding: string | null; state: EntryState }
    | undefined;
  return row
    ? {
        id: row.id,
        start: fromDbTime(row.start_at),
        end: fromDbTime(row.end_at),
        rounding: parseRounding(row.rounding),
        state: row.state,
      }
    : undefined;
}

/** When the person's open shift began, or null when none is open. */
export function openShiftStart(db: Db, email: string): Date | null {
  const row = statement(db, "SELECT start_at FROM open_shifts WHERE email = ?").get(email) as
    | { start_at: string }
    | undefined;
  return row ? fromDbTime(row.start_at) : null;
}

/** Entries stored but not booked yet (held, pending or being sent). */
export function unbookedCount(db: Db): number {
  const row = statement(
    db,
    "SELECT count(*) AS n FROM entries WHERE state IN ('held', 'pending', 'sending')",
  ).get() as { n: number };
  return row.n;
}

interface DoorShiftRow {
  id: string;
  start_at: string;
  end_at: string;
  rounding: string | null;
  held: number;
}

const DOOR_SHIFT_SELECT = `SELECT t.entry_id AS id, s.entry_start AS start_at, s.entry_end AS end_at,
    s.entry_rounding AS rounding, s.entry_held AS held
  FROM site_taps s JOIN taps t ON t.id = s.tap_id`;

/** The door does not know whether the site booked it; only "held" matters to the screen. */
function doorShift(row: DoorShiftRow): PersonEntry {
  return {
    id: row.id,
    start: fromDbTime(row.start_at),
    end: fromDbTime(row.end_at),
    rounding: parseRounding(row.rounding),
    state: row.held === 1 ? "held" : "pending",
  };
}

/**
 * Site mode: the person's shifts that a clock-out at this door closed and that start in
 * [from, to), as the door journalled them. Shifts closed at other doors are not here.
 */
export function doorShiftsOfPerson(db: Db, email: string, from: Date, to: Date): PersonEntry[] {
  const rows = statement(
    db,
    `${DOOR_SHIFT_SELECT}
       WHERE t.email = ? AND t.entry_id IS NOT NULL AND s.entry_start >= ? AND s.entry_start < ?
       ORDER BY s.entry_start`,
  ).all(email, toDbTime(from), toDbTime(to)) as DoorShiftRow[];
  return rows.map(doorShift);
}

/** Site mode: the shift a clock-out at this door closed, by its entry id. */
export function doorShiftOfPerson(db: Db, id: string): PersonEntry | undefined {
  const row = statement(
    db,
    `${DOOR_SHIFT_SELECT} WHERE t.entry_id = ? AND s.entry_start IS NOT NULL`,
  ).get(id) as DoorShiftRow | undefined;
  return row ? doorShift(row) : undefined;
}

/** Site mode: when the person's open shift began, as this door last knew the site's state. */
export function doorOpenShiftStart(db: Db, email: string): Date | null {
  const row = statement(db, "SELECT state FROM site_users WHERE email = ?").get(email) as
    | { state: string }
    | undefined;
  return row ? (parseState(row.state).openShift?.start.at ?? null) : null;
}
