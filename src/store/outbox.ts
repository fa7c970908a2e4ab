import { parseRounding, type RoundingPolicy, serialiseRounding } from "../pairing/booked-span.js";
import { type Db, fromDbTime, statement, toDbTime, withoutOwnFsync } from "./database.js";

export const ENTRY_STATES = [
  "held",
  "pending",
  "sending",
  "booked",
  "refused",
  "discarded",
] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/**
 * What one request for an entry put on the wire: the user, the instants as sent (after rounding),
 * time type, project and comment (absent when none was sent). Kept with the entry, since that is
 * what may be on the server even after an admin changed the entry.
 */
export interface SentAs {
  userEmail: string;
  start: Date;
  end: Date;
  timeTypeId: string;
  projectId: string | null;
  comment?: string;
}

export interface OutboxEntry {
  id: string;
  email: string;
  /** The raw instants, as tapped (or typed by an admin); what is booked is `bookedSpan` of them. */
  start: Date;
  end: Date;
  /** The rounding policy in force when the entry was queued; null books whole minutes. */
  rounding: RoundingPolicy | null;
  timeTypeId: string;
  projectId: string | null;
  comment: string | null;
  startTapId: number;
  endTapId: number | null;
  state: EntryState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  lastErrorCode: string | null;
  /** A request for this entry may have reached the server without its answer reaching us. */
  ambiguous: boolean;
  /** What the last request for this entry sent, or null when none was sent yet. */
  sentAs: SentAs | null;
  serverId: string | null;
  createdAt: Date;
  bookedAt: Date | null;
}

/** An entry as it is queued: by a clock-out tap (with its end tap) or by an admin from a review. */
export type NewEntry = Pick<
  OutboxEntry,
  | "id"
  | "email"
  | "start"
  | "end"
  | "rounding"
  | "timeTypeId"
  | "projectId"
  | "comment"
  | "startTapId"
> & { endTapId?: number | null };

interface EntryRow {
  id: string;
  email: string;
  start_at: string;
  end_at: string;
  rounding: string | null;
  time_type_id: string;
  project_id: string | null;
  comment: string | null;
  start_tap_id: number;
  end_tap_id: number | null;
  state: EntryState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  last_error_code: string | null;
  ambiguous: number;
  sent_as: string | null;
  server_id: string | null;
  created_at: string;
  booked_at: string | null;
}

function toEntry(row: EntryRow): OutboxEntry {
  return {
    id: row.id,
    email: row.email,
    start: fromDbTime(row.start_at),
    end: fromDbTime(row.end_at),
    rounding: parseRounding(row.rounding),
    timeTypeId: row.time_type_id,
    projectId: row.project_id,
    comment: row.comment,
    startTapId: row.start_tap_id,
    endTapId: row.end_tap_id,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at ? fromDbTime(row.next_attempt_at) : null,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    ambiguous: row.ambiguous === 1,
    sentAs: row.sent_as === null ? null : parseSentAs(row.sent_as),
    serverId: row.server_id,
    createdAt: fromDbTime(row.created_at),
    bookedAt: row.booked_at ? fromDbTime(row.booked_at) : null,
  };
}

function parseSentAs(text: string): SentAs {
  const stored = JSON.parse(text) as Omit<SentAs, "start" | "end"> & { start: string; end: string };
  return { ...stored, start: fromDbTime(stored.start), end: fromDbTime(stored.end) };
}

/**
 * The states a partial index holds, as that index's own WHERE clause: SQLite uses a partial index
 * only for a query that names its condition, never for `state = ?` alone, which on a journal of a
 * million taps reads every entry (half a second) to list the few that wait or were refused.
 */
const FEW_IN_STATE: Partial<Record<EntryState, string>> = {
  held: "state IN ('held', 'pending', 'sending')",
  pending: "state IN ('held', 'pending', 'sending')",
  sending: "state IN ('held', 'pending', 'sending')",
  refused: "state = 'refused'",
};

/**
 * The entries to book. Each entry's id is fixed at the clock-out tap; the `ambiguous` flag is set
 * before every request and cleared only by a definite answer, so after a crash or a lost answer the
 * sync knows to look on the server before it sends again.
 */
export class Outbox {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(id: string): OutboxEntry | undefined {
    const row = statement(this.#db, "SELECT * FROM entries WHERE id = ?").get(id) as
      | EntryRow
      | undefined;
    return row ? toEntry(row) : undefined;
  }

  list(state?: EntryState, limit = 1000): OutboxEntry[] {
    const rows = (
      state
        ? statement(
            this.#db,
            `SELECT * FROM entries WHERE ${FEW_IN_STATE[state] ?? "1"} AND state = ?
               ORDER BY start_at, id LIMIT ?`,
          ).all(state, limit)
        : statement(this.#db, "SELECT * FROM entries ORDER BY start_at, id LIMIT ?").all(limit)
    ) as EntryRow[];
    return rows.map(toEntry);
  }

  /**
   * For each user, the earliest entry still to book, if it is due. One user's entries go out in
   * start order; refused and discarded entries do not hold back the ones after them.
   */
  nextPerUser(now: Date, limit: number): OutboxEntry[] {
    // Walks due entries in start order and stops after `limit`; each candidate costs one probe of
    // the user's earlier unbooked entries, so a backlog of thousands is not scanned per booking.
    const rows = statement(
      this.#db,
      `SELECT e.* FROM entries e INDEXED BY entries_due_by_start
         WHERE e.state IN ('pending', 'sending')
           AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= ?)
           AND NOT EXISTS (SELECT 1 FROM entries p
                           WHERE p.email = e.email AND p.state IN ('held', 'pending', 'sending')
                             AND p.start_at < e.start_at)
         ORDER BY e.start_at
         LIMIT ?`,
    ).all(toDbTime(now), limit) as EntryRow[];
    return rows.map(toEntry);
  }

  /** What the amber LED shows: anything stuck for an admin, anything still to book. */
  backlog(): { refused: boolean; unbooked: boolean } {
    const row = statement(
      this.#db,
      `SELECT EXISTS (SELECT 1 FROM entries WHERE state = 'refused') AS refused,
              EXISTS (SELECT 1 FROM entries WHERE state IN ('held', 'pending', 'sending')) AS unbooked`,
    ).get() as { refused: number; unbooked: number };
    return { refused: row.refused === 1, unbooked: row.unbooked === 1 };
  }

  /** When the next entry becomes due, for the worker's sleep. */
  nextDueAt(): Date | null {
    const row = statement(
      this.#db,
      "SELECT min(coalesce(next_attempt_at, '')) AS at FROM entries WHERE state IN ('pending', 'sending')",
    ).get() as { at: string | null };
    if (row.at === null) return null;
    return row.at === "" ? new Date(0) : fromDbTime(row.at);
  }

  /**
   * Durably notes that a request is about to go out, before it does, with exactly what it sends:
   * from now on the entry may be on the server as `sent`, and is looked up before it is sent again.
   */
  markSending(id: string, sent: SentAs, now: Date): void {
    const sentAs = JSON.stringify({
      ...sent,
      start: toDbTime(sent.start),
      end: toDbTime(sent.end),
    });
    statement(
      this.#db,
      `UPDATE entries SET state = 'sending', ambiguous = 1, sent_as = ?, attempts = attempts + 1,
           updated_at = ? WHERE id = ?`,
    ).run(sentAs, toDbTime(now), id);
  }

  /** markSending for several entries in one durable commit: one fsync for all of them. */
  markSendingAll(entries: readonly { id: string; sent: SentAs }[], now: Date): void {
    this.#db.transaction(() => {
      for (const entry of entries) this.markSending(entry.id, entry.sent, now);
    })();
  }

  /**
   * Records that GoodTime holds the entry. One commit, not fsync'd on its own (see
   * `withoutOwnFsync`): if a power cut loses it, the entry is still "sending" and ambiguous from
   * `markSending`, which was durable before the request, so the sync looks it up and adopts the
   * booking instead of sending it again. Booked once either way, one fsync less per booking.
   */
  markBooked(id: string, serverId: string, now: Date): void {
    withoutOwnFsync(this.#db, () =>
      statement(
        this.#db,
        `UPDATE entries SET state = 'booked', ambiguous = 0, server_id = ?, booked_at = ?, updated_at = ?,
             next_attempt_at = NULL, last_error = NULL, last_error_code = NULL WHERE id = ?`,
      ).run(serverId, toDbTime(now), toDbTime(now), id),
    );
  }

  /**
   * Another attempt later. The ambiguous mark stays as it is: a failed attempt is no definite
   * answer, so an entry that was ever sent is still looked up before it is sent again. Not
   * fsync'd on its own, like every outcome: lost in a power cut, the entry is tried again sooner.
   */
  markRetry(
    id: string,
    error: { message: string; code: string },
    nextAttemptAt: Date,
    now: Date,
  ): void {
    withoutOwnFsync(this.#db, () =>
      statement(
        this.#db,
        `UPDATE entries SET state = 'pending', next_attempt_at = ?, last_error = ?, last_error_code = ?,
             updated_at = ? WHERE id = ?`,
      ).run(toDbTime(nextAttemptAt), error.message, error.code, toDbTime(now), id),
    );
  }

  /**
   * Parks an entry the server refused for good, with its reason, for an admin. Only a refusal of a
   * request sent after the lookup found nothing is that definite: the entry is not on the server.
   * Not fsync'd on its own: lost in a power cut, the entry is looked up and sent again, and a
   * request that was refused created nothing.
   */
  markRefused(id: string, error: { message: string; code: string }, now: Date): void {
    withoutOwnFsync(this.#db, () =>
      statement(
        this.#db,
        `UPDATE entries SET state = 'refused', ambiguous = 0, next_attempt_at = NULL, last_error = ?,
             last_error_code = ?, updated_at = ? WHERE id = ?`,
      ).run(error.message, error.code, toDbTime(now), id),
    );
  }

  /**
   * Books an entry with other fields: an admin's retry or edit. A refused entry goes back in line;
   * a held one stays held for the clock. `ambiguous` is left as it is: whatever may have reached
   * the server is still looked up before the entry is sent again.
   */
  reassign(
    id: string,
    fields: Pick<OutboxEntry, "email" | "timeTypeId" | "projectId">,
    now: Date,
  ): boolean {
    return (
      statement(
        this.#db,
        `UPDATE entries SET email = ?, time_type_id = ?, project_id = ?,
             state = CASE state WHEN 'refused' THEN 'pending' ELSE state END,
             next_attempt_at = NULL, updated_at = ?
           WHERE id = ? AND state IN ('held', 'pending', 'refused')`,
      ).run(fields.email, fields.timeTypeId, fields.projectId, toDbTime(now), id).changes > 0
    );
  }

  discard(id: string, now: Date): boolean {
    return (
      statement(
        this.#db,
        "UPDATE entries SET state = 'discarded', next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state IN ('held', 'pending', 'refused')",
      ).run(toDbTime(now), id).changes > 0
    );
  }

  counts(): Record<EntryState, number> {
    const counts = Object.fromEntries(ENTRY_STATES.map((state) => [state, 0])) as Record<
      EntryState,
      number
    >;
    const rows = statement(
      this.#db,
      "SELECT state, count(*) AS n FROM entries GROUP BY state",
    ).all() as {
      state: EntryState;
      n: number;
    }[];
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  oldestUnbookedCreatedAt(): Date | null {
    const row = statement(
      this.#db,
      "SELECT min(created_at) AS at FROM entries WHERE state IN ('held', 'pending', 'sending')",
    ).get() as { at: string | null };
    return row.at ? fromDbTime(row.at) : null;
  }

  /** Entries that start in [from, to), in start order, for exports. */
  listStartingBetween(from: Date, to: Date): OutboxEntry[] {
    const rows = statement(
      this.#db,
      "SELECT * FROM entries WHERE start_at >= ? AND start_at < ? ORDER BY start_at, id",
    ).all(toDbTime(from), toDbTime(to)) as EntryRow[];
    return rows.map(toEntry);
  }

  /**
   * Queues an entry to book, or to hold until the clock can be trusted. Fails on an id that
   * exists, so a stable id is never reused.
   */
  enqueue(entry: NewEntry, state: "pending" | "held", now: Date): void {
    statement(
      this.#db,
      `INSERT INTO entries (id, email, start_at, end_at, rounding, time_type_id, project_id, comment,
           start_tap_id, end_tap_id, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      entry.id,
      entry.email,
      toDbTime(entry.start),
      toDbTime(entry.end),
      serialiseRounding(entry.rounding),
      entry.timeTypeId,
      entry.projectId,
      entry.comment,
      entry.startTapId,
      entry.endTapId ?? null,
      state,
      toDbTime(now),
      toDbTime(now),
    );
  }

  lastBookedAt(): Date | null {
    const row = statement(this.#db, "SELECT max(booked_at) AS at FROM entries").get() as {
      at: string | null;
    };
    return row.at ? fromDbTime(row.at) : null;
  }
}
