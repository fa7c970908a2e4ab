import { type Db, toDbTime } from "./database.js";

/**
 * Small JSON documents the daemon publishes for admin commands running in other processes
 * (`timeclock status`): reader state, sync state, clock state.
 */
export class RuntimeStatus {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  write(key: string, value: unknown, now: Date): void {
    this.#db
      .prepare("INSERT OR REPLACE INTO runtime_status (key, value, updated_at) VALUES (?, ?, ?)")
      .run(key, JSON.stringify(value), toDbTime(now));
  }

  read<T>(key: string): { value: T; updatedAt: string } | undefined {
    const row = this.#db
      .prepare("SELECT value, updated_at FROM runtime_status WHERE key = ?")
      .get(key) as { value: string; updated_at: string } | undefined;
    return row ? { value: JSON.parse(row.value) as T, updatedAt: row.updated_at } : undefined;
  }
}
