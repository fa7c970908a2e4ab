import type { Outbox, OutboxEntry, SentAs } from "../store/outbox.js";

/** An entry about to be sent, with exactly what its request carries. */
export interface SendingEntry {
  id: string;
  sent: SentAs;
}

/** What the sync needs of an entry to book it. */
export type BookableEntry = Pick<
  OutboxEntry,
  | "id"
  | "email"
  | "start"
  | "end"
  | "rounding"
  | "timeTypeId"
  | "projectId"
  | "comment"
  | "ambiguous"
  | "sentAs"
  | "attempts"
>;

/**
 * Where the sync finds entries to book and records what happened to them: the terminal's own
 * SQLite outbox on a lone terminal, the site database's entries in site mode, where every
 * terminal's worker claims work for a lease. Contract 1 holds for both: `markSending` records
 * what goes on the wire and sets the ambiguous mark before the request; only `markBooked` and
 * `markRefused` clear it.
 */
export interface BookingQueue {
  /**
   * For each user the earliest entry still to book, if due, at most `limit`, none of the users
   * in `busy` (their entry is being booked here). In a site, taking them claims them.
   */
  due(now: Date, limit: number, busy: ReadonlySet<string>): Promise<BookableEntry[]>;
  /** When the next entry becomes due, for the worker's sleep. */
  nextDueAt(now: Date): Promise<Date | null>;
  attempts(id: string): Promise<number>;
  /**
   * Records what goes on the wire for each entry and sets its ambiguous mark, durably, before any
   * of the requests: on a lone terminal in one commit, so entries due together cost one fsync.
   * Returns the ids this terminal still holds; nothing may be sent for the others.
   */
  markSending(entries: readonly SendingEntry[], now: Date): Promise<ReadonlySet<string>>;
  markBooked(id: string, serverId: string, now: Date): Promise<void>;
  markRetry(
    id: string,
    error: { message: string; code: string },
    nextAttemptAt: Date,
    now: Date,
  ): Promise<void>;
  markRefused(id: string, error: { message: string; code: string }, now: Date): Promise<void>;
  lastBookedAt(): Promise<Date | null>;
  /** Gives back entries taken by `due` that were not booked after all (the worker stops). */
  release(ids: readonly string[]): Promise<void>;
}

/** The lone terminal's outbox: SQLite, answered synchronously, nothing to claim. */
export function sqliteBookingQueue(outbox: Outbox): BookingQueue {
  return {
    async due(now, limit, busy) {
      return outbox
        .nextPerUser(now, limit + busy.size)
        .filter((entry) => !busy.has(entry.email))
        .slice(0, limit);
    },
    nextDueAt: async () => outbox.nextDueAt(),
    attempts: async (id) => outbox.get(id)?.attempts ?? 0,
    async markSending(entries, now) {
      outbox.markSendingAll(entries, now);
      return new Set(entries.map((entry) => entry.id));
    },
    markBooked: async (id, serverId, now) => outbox.markBooked(id, serverId, now),
    markRetry: async (id, error, next, now) => outbox.markRetry(id, error, next, now),
    markRefused: async (id, error, now) => outbox.markRefused(id, error, now),
    lastBookedAt: async () => outbox.lastBookedAt(),
    release: async () => {},
  };
}
