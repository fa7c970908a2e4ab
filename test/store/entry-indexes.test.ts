import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { type Db, openDatabase } from "../../src/store/database.js";
import { entriesOfPerson } from "../../src/store/door.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { ENTRY_STATES, Outbox } from "../../src/store/outbox.js";
import { entriesTappedByPin } from "../../src/store/reports.js";
import { tempDir } from "../helpers/temp.js";

/**
 * The entries' indexes: which one each query of the entries searches (EXPLAIN QUERY PLAN of the
 * very SQL the store prepares, caught on its way to the driver), and what the queries answer.
 */

const logger = silentLogger();
const BY_START = MIGRATIONS.find((step) => step.sql.includes("entries_by_start"));

/** The store's connection, with every SQL text it prepares noted. */
function recording(db: Db): { db: Db; prepared: string[] } {
  const prepared: string[] = [];
  const spy = {
    prepare(sql: string) {
      prepared.push(sql);
      return db.prepare(sql);
    },
  } as unknown as Db;
  return { db: spy, prepared };
}

function planOf(db: Db, sql: string): string {
  const params = (sql.match(/\?/g) ?? []).map(() => null);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((row) => row.detail)
    .join(" | ");
}

function addEntries(db: Db): void {
  db.prepare(
    `INSERT INTO taps (id, badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome)
     VALUES (1, '0F00A1B2C3', 40, 't', '2026-03-02T06:00:00.000Z', 0, 'b', 1, 'clock-in')`,
  ).run();
  const insert = db.prepare(
    `INSERT INTO entries (id, email, start_at, end_at, time_type_id, start_tap_id, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'work', 1, ?, 'x', 'x')`,
  );
  const rows: [string, string, number, string][] = [
    ["b1", "bert@example.com", 1, "booked"],
    ["a1", "anna@example.com", 2, "booked"],
    ["a2", "anna@example.com", 3, "refused"],
    ["b2", "bert@example.com", 3, "pending"],
    ["a3", "anna@example.com", 4, "held"],
    ["a4", "anna@example.com", 9, "pending"],
  ];
  for (const [id, email, day, state] of rows) {
    const start = `2026-03-0${day}T07:00:00.000Z`;
    insert.run(id, email, start, start.replace("T07", "T15"), state);
  }
}

describe("entry indexes", () => {
  it("finds a person's week, an export's range and the entries of a state without reading every entry", () => {
    const real = openDatabase(tempDir(), { logger });
    const { db, prepared } = recording(real);
    entriesOfPerson(db, "anna@example.com", new Date("2026-03-02"), new Date("2026-03-09"));
    new Outbox(db).listStartingBetween(new Date("2026-03-02"), new Date("2026-03-09"));
    entriesTappedByPin(db, new Date("2026-03-02"), new Date("2026-03-09"));
    expect(prepared).toHaveLength(3);
    for (const sql of prepared) {
      expect(planOf(real, sql)).toMatch(
        /SEARCH e(ntries)? USING INDEX entries_by_start \(start_at>\? AND start_at<\?\)/,
      );
    }
    for (const state of ["held", "pending", "sending", "refused"] as const) {
      // A connection of its own each: states of one index share a statement, prepared once.
      const each = recording(real);
      new Outbox(each.db).list(state);
      const index = state === "refused" ? "entries_refused" : "entries_unbooked_by_user";
      expect(planOf(real, each.prepared[0] as string)).toContain(`USING INDEX ${index}`);
    }
    real.close();
  });

  it("answers the same through the new index on a journal upgraded from before it", () => {
    if (!BY_START) throw new Error("no migration creates entries_by_start");
    const dir = tempDir();
    const before = openDatabase(dir, { logger, targetVersion: BY_START.version - 1 });
    addEntries(before);
    before.close();
    const db = openDatabase(dir, { logger });
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entries'")
      .all()
      .map((row) => (row as { name: string }).name);
    expect(indexes).toContain("entries_by_start");
    expect(indexes).not.toContain("entries_by_user_start");

    const week = entriesOfPerson(
      db,
      "anna@example.com",
      new Date("2026-03-02"),
      new Date("2026-03-09"),
    );
    expect(week.map((entry) => [entry.id, entry.state])).toEqual([
      ["a1", "booked"],
      ["a2", "refused"],
      ["a3", "held"],
    ]);
    const outbox = new Outbox(db);
    const listed = Object.fromEntries(
      ENTRY_STATES.map((state) => [state, outbox.list(state).map((entry) => entry.id)]),
    );
    expect(listed).toEqual({
      held: ["a3"],
      pending: ["b2", "a4"],
      sending: [],
      booked: ["b1", "a1"],
      refused: ["a2"],
      discarded: [],
    });
    expect(outbox.list("pending", 1).map((entry) => entry.id)).toEqual(["b2"]);
    db.close();
  });
});
