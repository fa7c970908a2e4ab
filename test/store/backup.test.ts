import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { silentLogger } from "../../src/core/logger.js";
import { installCopy, writeBackup } from "../../src/store/backup.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import { salvage } from "../../src/store/salvage.js";
import { queueEntries, shiftsFor } from "../helpers/outbox-seed.js";
import { tempDir } from "../helpers/temp.js";

const logger = silentLogger();
const NOW = new Date("2026-03-10T12:00:00Z");

/** A journal with one entry in every state and `taps` refused taps. */
function journal(dir: string, taps = 0) {
  const db = openDatabase(dir, { logger });
  queueEntries(db, shiftsFor(["a@x.en"], 6, "tt"));
  const states = ["held", "pending", "sending", "booked", "refused", "discarded"];
  states.forEach((state, i) => {
    db.prepare("UPDATE entries SET state = ? WHERE id = ?").run(state, `e-0-${i}`);
  });
  const insert = db.prepare(
    `INSERT INTO taps (badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome, reason)
     VALUES ('0F00A1B2C3', 40, 'test', ?, ?, 'b', 1, 'refused', ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < taps; i++) insert.run(new Date(i * 1000).toISOString(), i, "r".repeat(100));
  })();
  return db;
}

const hash = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function ambiguity(dir: string): Record<string, number> {
  const db = new Database(databasePath(dir), { readonly: true });
  const rows = db.prepare("SELECT state, ambiguous FROM entries").all() as {
    state: string;
    ambiguous: number;
  }[];
  db.close();
  return Object.fromEntries(rows.map((row) => [row.state, row.ambiguous]));
}

describe("backup and restore", () => {
  it("writes a checked, standalone copy and installs it, marking every unbooked entry for a lookup", async () => {
    const dir = tempDir();
    const db = journal(join(dir, "data"), 10);
    const file = join(dir, "copy.db");
    const result = await writeBackup(db, file);
    db.prepare("UPDATE entries SET state = 'booked' WHERE state = 'pending'").run();
    db.close();
    expect(result).toMatchObject({ file, version: SCHEMA_VERSION });
    expect(result.counts).toMatchObject({ taps: 11, entries: 6 });
    expect(readdirSync(dir).sort()).toEqual(["copy.db", "data"]);

    const restored = installCopy(join(dir, "data"), file, NOW, logger);
    expect(restored.markedAmbiguous).toBe(4);
    expect(ambiguity(join(dir, "data"))).toEqual({
      held: 1,
      pending: 1,
      sending: 1,
      refused: 1,
      booked: 0,
      discarded: 0,
    });
    expect(restored.keptAs).toMatch(/timeclock\.db\.before-restore-/);
    const kept = new Database(restored.keptAs ?? "", { readonly: true });
    expect(kept.prepare("SELECT count(*) AS n FROM entries WHERE state = 'booked'").get()).toEqual({
      n: 2,
    });
    kept.close();
    expect(hash(file)).toBe(hash(file));
  });

  it.each([
    ["a damaged file", (file: string) => truncateSync(file, 4096), ExitCode.databaseDamaged],
    [
      "text",
      (file: string) => writeFileSync(file, "not sqlite ".repeat(500)),
      ExitCode.databaseDamaged,
    ],
    [
      "another program's database",
      (file: string) => {
        rmSync(file);
        const other = new Database(file);
        other.exec("CREATE TABLE notes (text TEXT)");
        other.close();
      },
      ExitCode.storage,
    ],
    [
      "a database from a newer timeclock",
      (file: string) => {
        const newer = new Database(file);
        newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        newer.close();
      },
      ExitCode.databaseTooNew,
    ],
  ])("refuses %s and leaves the database in use alone", async (_, spoil, code) => {
    const dir = tempDir();
    const dataDir = join(dir, "data");
    const db = journal(dataDir, 3000);
    const file = join(dir, "copy.db");
    await writeBackup(db, file);
    db.close();
    spoil(file);
    const before = hash(databasePath(dataDir));
    expect(() => installCopy(dataDir, file, NOW, logger)).toThrow(
      expect.objectContaining({ exitCode: code }),
    );
    expect(hash(databasePath(dataDir))).toBe(before);
    expect(readdirSync(dataDir).filter((name) => name.includes("restoring"))).toEqual([]);
  });
});

describe("recover", () => {
  it("salvages a truncated journal into a new file that restore accepts, leaving the damaged one as it was", () => {
    const dir = tempDir();
    const dataDir = join(dir, "data");
    const db = journal(dataDir, 3000);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const damaged = databasePath(dataDir);
    truncateSync(damaged, Math.floor(readFileSync(damaged).length * 0.6));
    const before = hash(damaged);

    const target = join(dir, "recovered.db");
    const report = salvage(damaged, target, logger);
    expect(hash(damaged)).toBe(before);
    expect(report.version).toBe(SCHEMA_VERSION);
    const taps = report.tables.taps?.saved ?? 0;
    expect(taps).toBeGreaterThan(1000);
    expect(taps).toBeLessThan(3001);
    expect(report.tables.taps?.damaged).toBe(true);
    expect(report.tables.entries?.saved).toBe(6);
    expect(report.problems).toEqual([]);

    const restored = installCopy(dataDir, target, NOW, logger);
    expect(restored.counts.taps).toBe(taps);
    expect(existsSync(restored.keptAs ?? "")).toBe(true);
  });

  it("walks past damaged pages in the middle and saves the rows on both sides", () => {
    const dir = tempDir();
    const dataDir = join(dir, "data");
    const db = journal(dataDir, 3000);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const damaged = databasePath(dataDir);
    const fd = openSync(damaged, "r+");
    writeSync(fd, Buffer.alloc(8 * 1024, 0xa5), 0, 8 * 1024, 300 * 1024);
    closeSync(fd);

    const report = salvage(damaged, join(dir, "recovered.db"), logger);
    const saved = new Database(join(dir, "recovered.db"), { readonly: true });
    const ids = saved.prepare("SELECT min(id) AS first, max(id) AS last FROM taps").get();
    saved.close();
    expect(report.tables.taps?.damaged).toBe(true);
    expect(report.tables.taps?.saved).toBeGreaterThan(2500);
    expect(report.tables.taps?.saved).toBeLessThan(3001);
    expect(ids).toEqual({ first: 1, last: 3001 });
  });

  it("refuses to write over an existing file", () => {
    const dir = tempDir();
    journal(join(dir, "data")).close();
    writeFileSync(join(dir, "taken.db"), "x");
    expect(() => salvage(databasePath(join(dir, "data")), join(dir, "taken.db"), logger)).toThrow(
      /already exists/,
    );
  });
});
