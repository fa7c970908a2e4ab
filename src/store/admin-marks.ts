import { type Db, fromDbTime, statement, toDbTime } from "./database.js";

/** Moments an admin looked at something, so that reports can say what is new since. */
export type AdminMarkName = "unknown-badges-seen";

export class AdminMarks {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(name: AdminMarkName): Date | null {
    const row = statement(this.#db, "SELECT at FROM admin_marks WHERE name = ?").get(name) as
      | { at: string }
      | undefined;
    return row ? fromDbTime(row.at) : null;
  }

  set(name: AdminMarkName, at: Date): void {
    statement(this.#db, "INSERT OR REPLACE INTO admin_marks (name, at) VALUES (?, ?)").run(
      name,
      toDbTime(at),
    );
  }
}
