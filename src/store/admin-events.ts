import { type Db, statement, toDbTime } from "./database.js";

export interface AdminEvent {
  id: number;
  at: string;
  /** What was done, e.g. "badge.add", "entry.discard", "review.book". */
  action: string;
  /** What it was done to: a badge ID, an entry id, a review id. */
  subject: string;
  /** JSON with the details, e.g. the reason given. */
  detail: unknown;
  /** Who: "cli:<user>", "console:<address>"; null for events recorded before it was kept. */
  actor: string | null;
}

interface EventRow {
  id: number;
  at: string;
  action: string;
  subject: string;
  detail: string | null;
  actor: string | null;
}

/** The append-only record of what admins changed, and why; the table refuses updates. */
export class AdminEventLog {
  readonly #db: Db;
  readonly #actor: string | null;

  /** `actor` is written with every event this log appends: who is making the changes. */
  constructor(db: Db, actor?: string) {
    this.#db = db;
    this.#actor = actor ?? null;
  }

  append(action: string, subject: string, detail: unknown, now: Date): number {
    const result = statement(
      this.#db,
      "INSERT INTO admin_events (at, action, subject, detail, actor) VALUES (?, ?, ?, ?, ?)",
    ).run(
      toDbTime(now),
      action,
      subject,
      detail === undefined ? null : JSON.stringify(detail),
      this.#actor,
    );
    return Number(result.lastInsertRowid);
  }

  /**
   * The newest `limit` events (at or after `since`, about `subject` when given), returned oldest
   * first so that they read as a story.
   */
  list(query: { since?: Date; subject?: string; limit?: number } = {}): AdminEvent[] {
    const rows = statement(
      this.#db,
      `SELECT * FROM admin_events
         WHERE at >= ? AND (? IS NULL OR subject = ?)
         ORDER BY id DESC LIMIT ?`,
    ).all(
      query.since ? toDbTime(query.since) : "",
      query.subject ?? null,
      query.subject ?? null,
      query.limit ?? 100,
    ) as EventRow[];
    return rows.reverse().map((row) => ({
      ...row,
      detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
    }));
  }
}
