import { writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { silentLogger } from "../../src/core/logger.js";
import { databasePath, openDatabase, schemaVersion } from "../../src/store/database.js";
import { MIGRATIONS, type Migration } from "../../src/store/migrations.js";
import { tempDir } from "../helpers/temp.js";

const logger = silentLogger();

describe("database", () => {
  it("opens with WAL and synchronous=FULL on every open", () => {
    const dir = tempDir();
    for (let i = 0; i < 2; i++) {
      const db = openDatabase(dir, { logger });
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      // 2 = FULL; SQLite does not persist it, so a second open proves it is set each time.
      expect(db.pragma("synchronous", { simple: true })).toBe(2);
      expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
      db.close();
    }
  });

  it("applies migrations step by step, each one leaving a working schema", () => {
    const extra: Migration = {
      version: MIGRATIONS.length + 1,
      description: "test step",
      sql: "ALTER TABLE badges ADD COLUMN note TEXT;",
    };
    const steps = [...MIGRATIONS, extra];
    const dir = tempDir();
    for (const step of steps) {
      const db = openDatabase(dir, { logger, migrations: steps, targetVersion: step.version });
      expect(schemaVersion(db)).toBe(step.version);
      expect(db.pragma("foreign_key_check")).toEqual([]);
      db.close();
    }
    const db = openDatabase(dir, { logger, migrations: steps });
    db.prepare(
      "INSERT INTO badges (badge_id, email, created_at, updated_at, note) VALUES ('0F00A1B2C3', 'a@b.example', 'x', 'x', 'n')",
    ).run();
    expect(db.prepare("SELECT note FROM badges").get()).toEqual({ note: "n" });
    db.close();
  });

  it("refuses a database from a newer program", () => {
    const dir = tempDir();
    openDatabase(dir, { logger }).close();
    const raw = new Database(databasePath(dir));
    raw.pragma("user_version = 999");
    raw.close();
    expect(() => openDatabase(dir, { logger })).toThrow(
      /schema version 999 is newer than this program knows/,
    );
  });

  it("names a damaged file and what to do", () => {
    const dir = tempDir();
    writeFileSync(
      databasePath(dir),
      "this is not a database at all, just some text that is long enough".repeat(100),
    );
    expect(() => openDatabase(dir, { logger })).toThrow(
      expect.objectContaining({
        exitCode: ExitCode.databaseDamaged,
        message: expect.stringMatching(/is damaged \(SQLITE_NOTADB.*timeclock recover/),
      }),
    );
  });

  it("keeps the tap journal append-only", () => {
    const db = openDatabase(tempDir(), { logger });
    db.prepare(
      `INSERT INTO taps (badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome)
       VALUES ('0F00A1B2C3', 40, 'test', '2026-01-01T00:00:00.000Z', 1, 'b', 1, 'refused')`,
    ).run();
    expect(() => db.prepare("UPDATE taps SET outcome = 'ignored'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM taps").run()).toThrow(/append-only/);
    db.close();
  });
});
