import { type Db, statement, toDbTime } from "./database.js";

/**
 * Small JSON documents the daemon publishes for admin commands running in other processes
 * (`timeclock status`). The store only keeps them; which documents exist and what each holds is
 * the `Documents` map the caller names (the terminal's is `TerminalStatusDocuments`), so a
 * writer and a reader agree on the type of every key at compile time.
 */
export class RuntimeStatus<Documents extends object> {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  write<Key extends keyof Documents & string>(key: Key, value: Documents[Key], now: Date): void {
    statement(
      this.#db,
      "INSERT OR REPLACE INTO runtime_status (key, value, updated_at) VALUES (?, ?, ?)",
    ).run(key, JSON.stringify(value), toDbTime(now));
  }

  read<Key extends keyof Documents & string>(
    key: Key,
  ): { value: Documents[Key]; updatedAt: string } | undefined {
    const row = statement(
      this.#db,
      "SELECT value, updated_at FROM runtime_status WHERE key = ?",
    ).get(key) as { value: string; updated_at: string } | undefined;
    return row
      ? { value: JSON.parse(row.value) as Documents[Key], updatedAt: row.updated_at }
      : undefined;
  }
}
