import { parseRounding } from "../../pairing/booked-span.js";
import type { EntryState, OutboxEntry, SentAs } from "../outbox.js";
import type { SitePool } from "./connection.js";

/**
 * The site's entries as the sync books them: any terminal's worker claims the earliest due entry
 * of a user with SELECT … FOR UPDATE SKIP LOCKED and holds it for a lease. Sending needs the claim
 * to be live (and extends it past the request's timeout), so a terminal whose lease ran out never
 * sends; one that died mid-booking leaves the entry, still marked ambiguous with what it sent, to
 * the next terminal after the lease, which looks it up before sending again (contract 1). Times
 * that decide (due, lease) are the database's own clock, the same for every terminal.
 */

interface EntryRow {
  id: string;
  email: string;
  start_at: Date;
  end_at: Date;
  rounding: string | null;
  time_type_id: string;
  project_id: string | null;
  comment: string | null;
  state: EntryState;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  last_error_code: string | null;
  ambiguous: boolean;
  sent_as: (Omit<SentAs, "start" | "end"> & { start: string; end: string }) | null;
  server_id: string | null;
  created_at: Date;
  booked_at: Date | null;
}

export type SiteEntry = Omit<OutboxEntry, "startTapId" | "endTapId"> & {
  startTap: string;
  endTap: string | null;
  createdBy: string;
  claimedBy: string | null;
};

export function toSiteEntry(row: EntryRow & Record<string, unknown>): SiteEntry {
  return {
    id: row.id,
    email: row.email,
    start: row.start_at,
    end: row.end_at,
    rounding: parseRounding(row.rounding),
    timeTypeId: row.time_type_id,
    projectId: row.project_id,
    comment: row.comment,
    startTap: String(row.start_tap),
    endTap: (row.end_tap as string | null) ?? null,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    lastErrorCode: row.last_error_code,
    ambiguous: row.ambiguous,
    sentAs: row.sent_as
      ? { ...row.sent_as, start: new Date(row.sent_as.start), end: new Date(row.sent_as.end) }
      : null,
    serverId: row.server_id,
    createdAt: row.created_at,
    bookedAt: row.booked_at,
    createdBy: String(row.created_by),
    claimedBy: (row.claimed_by as string | null) ?? null,
  };
}

export interface SiteQueueOptions {
  terminalId: string;
  leaseSeconds: number;
}

/** The site's booking queue for one terminal (the shape of sync/booking-queue.ts). */
export function siteBookingQueue(pool: SitePool, options: SiteQueueOptions) {
  const me = options.terminalId;
  const lease = options.leaseSeconds;
  /** false when this terminal no longer holds the entry: nothing may be sent for it. */
  const markOneSending = async (id: string, sent: SentAs): Promise<boolean> => {
    const done = await pool.query(
      `UPDATE entries SET state = 'sending', ambiguous = true, sent_as = $3, attempts = attempts + 1,
           updated_at = now(), lease_until = now() + make_interval(secs => $4)
         WHERE id = $1 AND claimed_by = $2 AND lease_until > now()
           AND state IN ('pending', 'sending')`,
      [id, me, JSON.stringify(sent), lease],
    );
    return (done.rowCount ?? 0) > 0;
  };
  return {
    async due(_now: Date, limit: number, busy: ReadonlySet<string>): Promise<SiteEntry[]> {
      const claimed = await pool.query<EntryRow & Record<string, unknown>>(
        `WITH candidates AS (
           SELECT e.id FROM entries e
            WHERE e.state IN ('pending', 'sending')
              AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= now())
              AND (e.claimed_by IS NULL OR e.claimed_by = $1 OR e.lease_until < now())
              AND NOT (e.email = ANY($2::text[]))
              AND NOT EXISTS (
                SELECT 1 FROM entries p
                 WHERE p.email = e.email AND p.state IN ('held', 'pending', 'sending')
                   AND (p.start_at, p.id) < (e.start_at, e.id))
            ORDER BY e.start_at, e.id
            LIMIT $3
            FOR UPDATE OF e SKIP LOCKED)
         UPDATE entries SET claimed_by = $1, lease_until = now() + make_interval(secs => $4)
           FROM candidates WHERE entries.id = candidates.id
         RETURNING entries.*`,
        [me, [...busy], limit, lease],
      );
      return claimed.rows.map(toSiteEntry);
    },

    async nextDueAt(now: Date): Promise<Date | null> {
      const row = await pool.query<{ ms: number | null }>(
        `SELECT extract(epoch FROM min(greatest(
                  coalesce(next_attempt_at, now()),
                  CASE WHEN claimed_by IS NOT NULL AND claimed_by <> $1 AND lease_until > now()
                       THEN lease_until ELSE now() END)) - now()) * 1000 AS ms
           FROM entries WHERE state IN ('pending', 'sending')`,
        [me],
      );
      const ms = row.rows[0]?.ms;
      return ms === null || ms === undefined
        ? null
        : new Date(now.getTime() + Math.max(0, Number(ms)));
    },

    async attempts(id: string): Promise<number> {
      const row = await pool.query<{ attempts: number }>(
        "SELECT attempts FROM entries WHERE id = $1",
        [id],
      );
      return row.rows[0]?.attempts ?? 0;
    },

    async markSending(
      entries: readonly { id: string; sent: SentAs }[],
      _now: Date,
    ): Promise<ReadonlySet<string>> {
      const held = new Set<string>();
      for (const { id, sent } of entries) {
        if (await markOneSending(id, sent)) held.add(id);
      }
      return held;
    },

    /** GoodTime has the entry: recorded whoever holds the claim now. */
    async markBooked(id: string, serverId: string, _now: Date): Promise<void> {
      await pool.query(
        `UPDATE entries SET state = 'booked', ambiguous = false, server_id = $2, booked_at = now(),
             updated_at = now(), next_attempt_at = NULL, last_error = NULL, last_error_code = NULL,
             claimed_by = NULL, lease_until = NULL
           WHERE id = $1`,
        [id, serverId],
      );
    },

    async markRetry(
      id: string,
      error: { message: string; code: string },
      nextAttemptAt: Date,
      now: Date,
    ): Promise<void> {
      await pool.query(
        `UPDATE entries SET state = 'pending',
             next_attempt_at = now() + make_interval(secs => $5::double precision / 1000),
             last_error = $3, last_error_code = $4, updated_at = now(),
             claimed_by = NULL, lease_until = NULL
           WHERE id = $1 AND claimed_by = $2 AND state IN ('pending', 'sending')`,
        [id, me, error.message, error.code, Math.max(0, nextAttemptAt.getTime() - now.getTime())],
      );
    },

    async markRefused(id: string, error: { message: string; code: string }): Promise<void> {
      await pool.query(
        `UPDATE entries SET state = 'refused', ambiguous = false, next_attempt_at = NULL,
             last_error = $3, last_error_code = $4, updated_at = now(), claimed_by = NULL, lease_until = NULL
           WHERE id = $1 AND claimed_by = $2 AND state IN ('pending', 'sending')`,
        [id, me, error.message, error.code],
      );
    },

    async lastBookedAt(): Promise<Date | null> {
      const row = await pool.query<{ at: Date | null }>("SELECT max(booked_at) AS at FROM entries");
      return row.rows[0]?.at ?? null;
    },

    async release(ids: readonly string[]): Promise<void> {
      await pool.query(
        `UPDATE entries SET claimed_by = NULL, lease_until = NULL
           WHERE id = ANY($2::text[]) AND claimed_by = $1 AND state IN ('pending', 'sending')`,
        [me, [...ids]],
      );
    },
  };
}
