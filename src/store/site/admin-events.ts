import type pg from "pg";
import type { AdminEvent } from "../admin-events.js";
import type { SiteClient } from "./connection.js";

type Queryable = Pick<pg.Pool | SiteClient, "query">;

/** An admin event with the door it was made at (site mode). */
export type DoorAdminEvent = AdminEvent & { door: string | null };

export interface AdminEventQuery {
  since?: Date;
  subject?: string;
  limit?: number;
}

interface EventRow {
  id: string;
  at: Date;
  action: string;
  subject: string;
  detail: unknown;
  actor: string | null;
  terminal_id: string | null;
}

/**
 * The newest `limit` admin events in the site database (entry, review and badge changes made at
 * any door), at or after `since`, about `subject` when given; oldest first, as the local record.
 */
export async function siteAdminEvents(
  db: Queryable,
  query: AdminEventQuery,
): Promise<DoorAdminEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT id, at, action, subject, detail, actor, terminal_id FROM admin_events
      WHERE ($1::timestamptz IS NULL OR at >= $1) AND ($2::text IS NULL OR subject = $2)
      ORDER BY at DESC, id DESC LIMIT $3`,
    [query.since ?? null, query.subject ?? null, query.limit ?? 100],
  );
  return rows.rows.reverse().map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    action: row.action,
    subject: row.subject,
    detail: row.detail,
    actor: row.actor,
    door: row.terminal_id,
  }));
}
