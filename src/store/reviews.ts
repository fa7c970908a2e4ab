import { type Db, fromDbTime, statement, toDbTime } from "./database.js";
import { type NewEntry, Outbox } from "./outbox.js";

export type ReviewResolution = "booked" | "discarded";

/** A shift the terminal would not book on its own: too long, or its clock could not be trusted. */
export interface Review {
  id: number;
  email: string;
  badgeId: string;
  badgeName: string | null;
  startTapId: number;
  start: Date;
  timeTypeId: string;
  projectId: string | null;
  reason: string;
  createdAt: Date;
  resolution: ReviewResolution | null;
  resolvedAt: Date | null;
  note: string | null;
  /** The entry it was booked as; for a review made from a held entry, that entry until resolved. */
  entryId: string | null;
}

interface ReviewRow {
  id: number;
  email: string;
  badge_id: string;
  badge_name: string | null;
  start_tap_id: number;
  start_at: string;
  time_type_id: string;
  project_id: string | null;
  reason: string;
  created_at: string;
  resolution: ReviewResolution | null;
  resolved_at: string | null;
  note: string | null;
  entry_id: string | null;
}

function toReview(row: ReviewRow): Review {
  return {
    id: row.id,
    email: row.email,
    badgeId: row.badge_id,
    badgeName: row.badge_name,
    startTapId: row.start_tap_id,
    start: fromDbTime(row.start_at),
    timeTypeId: row.time_type_id,
    projectId: row.project_id,
    reason: row.reason,
    createdAt: fromDbTime(row.created_at),
    resolution: row.resolution,
    resolvedAt: row.resolved_at ? fromDbTime(row.resolved_at) : null,
    note: row.note,
    entryId: row.entry_id,
  };
}

/** A review as the journal or the re-anchoring of held entries opens it. */
export type NewReview = Pick<
  Review,
  | "email"
  | "badgeId"
  | "badgeName"
  | "startTapId"
  | "start"
  | "timeTypeId"
  | "projectId"
  | "reason"
  | "createdAt"
  | "entryId"
>;

/** Opens a review; the one place a review is written, inside the caller's transaction. */
export function addReview(db: Db, review: NewReview): void {
  statement(
    db,
    `INSERT INTO reviews (email, badge_id, start_tap_id, start_at, time_type_id, project_id, badge_name,
         reason, created_at, entry_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    review.email,
    review.badgeId,
    review.startTapId,
    toDbTime(review.start),
    review.timeTypeId,
    review.projectId,
    review.badgeName,
    review.reason,
    toDbTime(review.createdAt),
    review.entryId,
  );
}

/** The review list: written by the journal, resolved by an admin. */
export class ReviewList {
  readonly #db: Db;
  readonly #outbox: Outbox;

  constructor(db: Db) {
    this.#db = db;
    this.#outbox = new Outbox(db);
  }

  get(id: number): Review | undefined {
    const row = this.#db.prepare("SELECT * FROM reviews WHERE id = ?").get(id) as
      | ReviewRow
      | undefined;
    return row ? toReview(row) : undefined;
  }

  /** Unresolved reviews, oldest shift first. */
  open(): Review[] {
    const rows = this.#db
      .prepare("SELECT * FROM reviews WHERE resolution IS NULL ORDER BY start_at, id")
      .all() as ReviewRow[];
    return rows.map(toReview);
  }

  countOpen(): number {
    return (
      this.#db.prepare("SELECT count(*) AS n FROM reviews WHERE resolution IS NULL").get() as {
        n: number;
      }
    ).n;
  }

  /**
   * Queues the entry and resolves the review in one transaction, so a review is never booked twice;
   * false when the review is missing or already resolved.
   */
  book(id: number, entry: NewEntry, now: Date): boolean {
    return this.#db
      .transaction(() => {
        const resolved = this.#db
          .prepare(
            `UPDATE reviews SET resolution = 'booked', resolved_at = ?, entry_id = ?
             WHERE id = ? AND resolution IS NULL`,
          )
          .run(toDbTime(now), entry.id, id);
        if (resolved.changes === 0) return false;
        this.#outbox.enqueue(entry, "pending", now);
        return true;
      })
      .immediate();
  }

  /** Resolves the review as not to be booked, keeping the reason; false when missing or resolved. */
  discard(id: number, note: string, now: Date): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE reviews SET resolution = 'discarded', resolved_at = ?, note = ?
           WHERE id = ? AND resolution IS NULL`,
        )
        .run(toDbTime(now), note, id).changes > 0
    );
  }
}
