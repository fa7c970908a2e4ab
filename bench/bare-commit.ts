import { join } from "node:path";
import Database from "better-sqlite3";
import { elapsedMs } from "./stats.js";

/**
 * The floor under every tap: one durable one-row INSERT transaction, in WAL with synchronous=FULL
 * as the store opens its database, on a file in `dir` (the same disk as the journal). Timed one at
 * a time, so that the benchmark can put one next to every tap and both see the same machine.
 */
export class BareCommit {
  readonly #db: Database.Database;
  readonly #commit: { immediate(): unknown };

  constructor(dir: string) {
    this.#db = new Database(join(dir, "bare-commit.db"));
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = FULL");
    this.#db.exec(
      "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, at TEXT NOT NULL, body TEXT)",
    );
    const insert = this.#db.prepare("INSERT INTO rows (at, body) VALUES (?, ?)");
    // About the size of a journalled tap row.
    const body = "x".repeat(120);
    this.#commit = this.#db.transaction(() => insert.run(new Date().toISOString(), body));
  }

  /** Milliseconds one commit took. */
  timeOne(): number {
    const start = process.hrtime.bigint();
    this.#commit.immediate();
    return elapsedMs(start, process.hrtime.bigint());
  }

  close(): void {
    this.#db.close();
  }
}
