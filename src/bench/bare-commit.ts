import { join } from "node:path";
import Database from "better-sqlite3";
import { elapsedMs, type Summary, summarize } from "./stats.js";

/**
 * The floor under every tap: one durable one-row INSERT transaction, in WAL with synchronous=FULL
 * as the store opens its database, on a file in `dir` (the same disk as the journal).
 */
export function measureBareCommits(dir: string, count: number, warmup = 20): Summary {
  const db = new Database(join(dir, "bare-commit.db"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.exec(
      "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, at TEXT NOT NULL, body TEXT)",
    );
    const insert = db.prepare("INSERT INTO rows (at, body) VALUES (?, ?)");
    // About the size of a journalled tap row.
    const body = "x".repeat(120);
    const commit = db.transaction(() => insert.run(new Date().toISOString(), body));
    const samples: number[] = [];
    for (let i = 0; i < warmup + count; i++) {
      const start = process.hrtime.bigint();
      commit.immediate();
      const end = process.hrtime.bigint();
      if (i >= warmup) samples.push(elapsedMs(start, end));
    }
    return summarize(samples);
  } finally {
    db.close();
  }
}
