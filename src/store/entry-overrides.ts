import { type Db, fromDbTime, statement, toDbTime } from "./database.js";

/** What an admin set for an entry; an absent field was not overridden, projectId null means none. */
export interface EntryOverride {
  email?: string;
  timeTypeId?: string;
  projectId?: string | null;
}

/**
 * An admin's choice of user, time type or project for one entry (`queue edit`), kept so that a
 * later retry books with it instead of the badge's mapping.
 */
export class EntryOverrides {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(entryId: string): { fields: EntryOverride; setAt: Date } | undefined {
    const row = statement(
      this.#db,
      "SELECT fields, set_at FROM entry_overrides WHERE entry_id = ?",
    ).get(entryId) as { fields: string; set_at: string } | undefined;
    return row
      ? { fields: JSON.parse(row.fields) as EntryOverride, setAt: fromDbTime(row.set_at) }
      : undefined;
  }

  /** Adds `fields` to what was overridden before; returns the whole override. */
  merge(entryId: string, fields: EntryOverride, now: Date): EntryOverride {
    const merged = { ...this.get(entryId)?.fields, ...fields };
    statement(
      this.#db,
      "INSERT OR REPLACE INTO entry_overrides (entry_id, fields, set_at) VALUES (?, ?, ?)",
    ).run(entryId, JSON.stringify(merged), toDbTime(now));
    return merged;
  }
}
