import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
} from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "../core/logger.js";
import { checkProblems, type Db, migrate } from "./database.js";
import { StoreError } from "./faults.js";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";

/**
 * Salvage of a damaged journal into a new file, row by row, through SQLite itself. Each table is
 * walked in key order from both ends; where a damaged page stops the walk, it probes for the next
 * key it can reach and carries on, so one bad page costs the rows on it, not the rest.
 *
 * Not the sqlite3 shell's .recover: Debian's sqlite3 is built without the sqlite_dbpage table that
 * .recover needs, and the walk works with the SQLite that better-sqlite3 already ships.
 */

const BATCH = 500;
/** Far beyond any key this journal writes: a probe past it means the table has nothing further. */
const KEY_LIMIT = 2 ** 48;
/** Rows of these tables only describe the daemon of the moment; it publishes them afresh. */
const SKIPPED = new Set(["runtime_status"]);

export interface TableSalvage {
  saved: number;
  /** Rows that could not be read where a damaged page stopped the walk (they are counted, not known). */
  damaged: boolean;
}

export interface SalvageReport {
  version: number;
  tables: Record<string, TableSalvage>;
  /** Rows saved whose reference (an entry's tap, a shift's tap) was lost. */
  danglingReferences: number;
  problems: string[];
}

/** user_version from the file header (bytes 60-63), when SQLite can no longer read the schema. */
function headerVersion(path: string): number | undefined {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100) return undefined;
    if (!header.subarray(0, 16).toString("latin1").startsWith("SQLite format 3")) return undefined;
    return header.readUInt32BE(60);
  } finally {
    closeSync(fd);
  }
}

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

interface Walk {
  key: string;
  numeric: boolean;
  columns: string[];
}

function columnsOf(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${quoteName(table)})`).all() as { name: string }[]).map(
    (column) => column.name,
  );
}

/** The key to walk a table by: its rowid, or the primary key of a WITHOUT ROWID table. */
function walkFor(target: Db, source: Db, table: string): Walk {
  const info = target.prepare(`PRAGMA table_info(${quoteName(table)})`).all() as {
    name: string;
    pk: number;
    type: string;
  }[];
  const sql = (
    target.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(table) as { sql: string }
  ).sql;
  let sourceColumns: string[];
  try {
    sourceColumns = columnsOf(source, table);
  } catch {
    sourceColumns = info.map((column) => column.name);
  }
  const columns = info.map((c) => c.name).filter((name) => sourceColumns.includes(name));
  if (/WITHOUT\s+ROWID/i.test(sql)) {
    const pk = info.find((column) => column.pk === 1)?.name ?? columns[0] ?? "rowid";
    return { key: quoteName(pk), numeric: false, columns };
  }
  return { key: "rowid", numeric: true, columns };
}

/** The leading rows whose keys move away from `from` in `direction` (1 rising, -1 falling). */
function risingPrefix(
  rows: readonly Record<string, unknown>[],
  from: unknown,
  direction: 1 | -1 = 1,
): Record<string, unknown>[] {
  const kept: Record<string, unknown>[] = [];
  let previous = from as number | string;
  for (const row of rows) {
    const key = row.__key as number | string;
    if (direction === 1 ? !(key > previous) : !(key < previous)) break;
    kept.push(row);
    previous = key;
  }
  return kept;
}

function copyTable(source: Db, target: Db, table: string): TableSalvage {
  const walk = walkFor(target, source, table);
  const list = walk.columns.map(quoteName).join(", ");
  const withKey = walk.numeric ? `rowid AS __key, ${list}` : `${walk.key} AS __key, ${list}`;
  const forward = source.prepare(
    `SELECT ${withKey} FROM ${quoteName(table)} WHERE ${walk.key} > ? ORDER BY ${walk.key} LIMIT ?`,
  );
  const backward = source.prepare(
    `SELECT ${withKey} FROM ${quoteName(table)} WHERE ${walk.key} < ? ORDER BY ${walk.key} DESC LIMIT ?`,
  );
  const probe = walk.numeric
    ? source.prepare(
        `SELECT rowid AS __key FROM ${quoteName(table)} WHERE rowid >= ? ORDER BY rowid LIMIT 1`,
      )
    : undefined;
  const targetColumns = walk.numeric ? ["rowid", ...walk.columns] : walk.columns;
  const insert = target.prepare(
    `INSERT OR IGNORE INTO ${quoteName(table)} (${targetColumns.map((c) => (c === "rowid" ? c : quoteName(c))).join(", ")})
       VALUES (${targetColumns.map(() => "?").join(", ")})`,
  );
  let saved = 0;
  let damaged = false;
  const store = (rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      const values = walk.columns.map((column) => row[column]);
      saved += insert.run(...(walk.numeric ? [row.__key, ...values] : values)).changes;
    }
  };
  const read = (statement: Database.Statement, after: unknown, limit: number) => {
    try {
      return statement.all(after, limit) as Record<string, unknown>[];
    } catch {
      return undefined;
    }
  };
  /** The first key at or after `from` whose page can be read; binary search after a doubling. */
  const nextReadable = (from: number): number | undefined => {
    const readable = (at: number) => {
      try {
        return (probe?.get(at) as { __key: number } | undefined)?.__key ?? null;
      } catch {
        return undefined;
      }
    };
    let low = from;
    let step = 1;
    let high: number | undefined;
    while (from + step < KEY_LIMIT) {
      const found = readable(from + step);
      if (found === null) return undefined;
      if (found !== undefined) {
        high = from + step;
        break;
      }
      low = from + step;
      step *= 2;
    }
    if (high === undefined) return undefined;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (readable(middle) === undefined) low = middle;
      else high = middle;
    }
    return high;
  };

  let after: unknown = walk.numeric ? -KEY_LIMIT : "";
  // A batch that reaches a damaged page fails as a whole: halve it until it reads, so that the
  // rows before the damage cost a few queries, not one query each.
  let limit = BATCH;
  for (;;) {
    const rows = read(forward, after, limit);
    if (rows) {
      // A page past a truncation can read as rows with keys out of order: only rows whose keys
      // keep rising are the table's, and the walk never steps back.
      const rising = risingPrefix(rows, after);
      store(rising);
      if (rising.length > 0) after = rising[rising.length - 1]?.__key;
      if (rising.length === rows.length) {
        if (rows.length < limit) break;
        limit = Math.min(limit * 2, BATCH);
        continue;
      }
    } else if (limit > 1) {
      limit = Math.floor(limit / 2);
      continue;
    }
    damaged = true;
    if (!walk.numeric) break;
    const last = after as number;
    const next = nextReadable(last + 1);
    if (next === undefined) break;
    // The probe reads only the key: a row whose other columns sit on a damaged page answers it
    // but not the walk. Skip such a row, so that the walk always moves on.
    after = next - 1 > last ? next - 1 : next;
    limit = BATCH;
  }
  if (damaged) {
    let before: unknown = walk.numeric ? KEY_LIMIT : "\uffff";
    for (;;) {
      const rows = read(backward, before, BATCH);
      if (!rows || rows.length === 0) break;
      const falling = risingPrefix(rows, before, -1);
      store(falling);
      if (falling.length < rows.length || falling.length === 0) break;
      before = falling[falling.length - 1]?.__key;
    }
  }
  return { saved, damaged };
}

/**
 * Salvages `source` (and its -wal, if any) into a new file `target`, at the source's schema
 * version. The source is never opened for writing: SQLite reads a scratch copy of it.
 */
export function salvage(source: string, target: string, logger: Logger): SalvageReport {
  if (!existsSync(source)) throw new StoreError(`${source} does not exist`, "missing");
  if (existsSync(target)) throw new StoreError(`${target} already exists; name another --to FILE`);
  const scratchDir = mkdtempSync(join(dirname(target), ".salvage-"));
  const scratch = join(scratchDir, "source.db");
  copyFileSync(source, scratch);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${scratch}-wal`);
  const problems: string[] = [];
  let from: Db | undefined;
  const to = new Database(target);
  try {
    try {
      from = new Database(scratch);
      // SQLite refuses a file shorter than its header says (a truncated journal) unless the schema
      // is writable, which better-sqlite3's defensive mode forbids. This connection only reads a
      // scratch copy, so both are safe to lift here.
      from.unsafeMode(true);
      from.pragma("writable_schema = ON");
      from.pragma("schema_version");
    } catch (error) {
      problems.push(`SQLite cannot read its schema: ${(error as Error).message}`);
    }
    let version = SCHEMA_VERSION;
    try {
      version = (from?.pragma("user_version", { simple: true }) as number | undefined) ?? version;
    } catch {
      version = headerVersion(scratch) ?? SCHEMA_VERSION;
    }
    if (version < 1 || version > SCHEMA_VERSION) {
      problems.push(
        `schema version ${version} is not one this timeclock knows; rebuilt at ${SCHEMA_VERSION}`,
      );
      version = SCHEMA_VERSION;
    }
    to.pragma("page_size = 1024");
    // Rows whose tap was lost are kept, and counted below, rather than dropped with it.
    to.pragma("foreign_keys = OFF");
    migrate(to, logger, MIGRATIONS, version);
    const tables = (
      to
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all() as { name: string }[]
    ).map((row) => row.name);
    const report: SalvageReport = { version, tables: {}, danglingReferences: 0, problems };
    to.transaction(() => {
      for (const table of tables.filter((name) => !SKIPPED.has(name))) {
        report.tables[table] = from ? copyTable(from, to, table) : { saved: 0, damaged: true };
      }
    })();
    report.danglingReferences = (to.pragma("foreign_key_check") as unknown[]).length;
    problems.push(...checkProblems(to, "integrity_check"));
    return report;
  } finally {
    from?.close();
    to.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
