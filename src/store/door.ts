import { parseRounding, type RoundingPolicy } from "../pairing/booked-span.js";
import { type Db, fromDbTime, statement, toDbTime } from "./database.js";
import type { EntryState } from "./outbox.js";

/**
 * Read-only queries for the screen at the door: one person's shifts of a week, their open shift,
 * how much waits to be booked. The display process asks them after a tap was committed, on its
 * own connection, so they never hold up the terminal writing the same file.
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
