import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { fillDisk } from "../../bench/disk.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { silentLogger } from "../../src/core/logger.js";
import { markerPath } from "../../src/store/data-dir.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import { tempDir } from "../helpers/temp.js";
import { tmpfs, tmpfsProblem } from "../helpers/tmpfs.js";

const logger = silentLogger();
const skipped = tmpfsProblem ? ` (skipped: ${tmpfsProblem})` : "";

function openError(dir: string, create: "if-new" | "never" = "if-new") {
  try {
    openDatabase(dir, { logger, create }).close();
  } catch (error) {
    return error as { exitCode: number; message: string };
  }
  throw new Error(`openDatabase(${dir}) did not fail`);
}

function journalWithTaps(dir: string, taps: number): void {
  const db = openDatabase(dir, { logger });
  const insert = db.prepare(
    `INSERT INTO taps (badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome)
     VALUES ('0F00A1B2C3', 40, 'test', ?, ?, 'b', 1, 'refused')`,
  );
  db.transaction(() => {
    for (let i = 0; i < taps; i++) insert.run(new Date(i * 1000).toISOString(), i);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

describe("opening the database", () => {
  it("creates it in a fresh data directory, says so, and marks the directory as in use", () => {
    const dir = join(tempDir(), "data");
    const created: string[] = [];
    openDatabase(dir, { logger, onCreate: (path) => created.push(path) }).close();
    expect(created).toEqual([databasePath(dir)]);
    expect(readFileSync(markerPath(dir), "utf8")).toMatch(/^timeclock journal created \S+Z/);
    openDatabase(dir, { logger, onCreate: (path) => created.push(path) }).close();
    expect(created).toHaveLength(1);
  });

  it("never creates one for a read-only command, even in a fresh directory", () => {
    const dir = tempDir();
    const error = openError(dir, "never");
    expect(error.exitCode).toBe(ExitCode.databaseMissing);
    expect(error.message).toContain("no database in");
    expect(existsSync(databasePath(dir))).toBe(false);
  });

  it.each([
    ["deleted", (path: string) => rmSync(path)],
    ["emptied to 0 bytes", (path: string) => truncateSync(path, 0)],
  ])(
    "refuses a database %s in a directory that held a journal, with the restore hint",
    (_, lose) => {
      const dir = tempDir();
      journalWithTaps(dir, 3);
      lose(databasePath(dir));
      for (const mode of ["if-new", "never"] as const) {
        const error = openError(dir, mode);
        expect(error.exitCode).toBe(ExitCode.databaseMissing);
        expect(error.message).toContain("timeclock restore FILE");
        expect(error.message).toContain(markerPath(dir));
      }
      expect(statSync(databasePath(dir), { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    },
  );

  it("names a data directory that is a file", () => {
    const file = join(tempDir(), "data");
    writeFileSync(file, "not a directory");
    const error = openError(file);
    expect(error.exitCode).toBe(ExitCode.dataDirUnusable);
    expect(error.message).toMatch(/is a file, not a directory; set terminal.dataDir/);
    expect(openError(file, "never").exitCode).toBe(ExitCode.dataDirUnusable);
  });

  it("names a truncated database as damaged and points at timeclock recover", () => {
    const dir = tempDir();
    journalWithTaps(dir, 3000);
    const path = databasePath(dir);
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const error = openError(dir);
    expect(error.exitCode).toBe(ExitCode.databaseDamaged);
    expect(error.message).toContain("timeclock recover");
  });

  it("names a database from a newer timeclock", () => {
    const dir = tempDir();
    openDatabase(dir, { logger }).close();
    const raw = new Database(databasePath(dir));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(openError(dir).exitCode).toBe(ExitCode.databaseTooNew);
  });

  it.skipIf(tmpfsProblem)(`names a read-only filesystem${skipped}`, () => {
    const fs = tmpfs("512k");
    journalWithTaps(join(fs.dir, "data"), 3);
    mkdirIn(fs.dir, "fresh");
    fs.remountReadOnly();
    for (const dir of [join(fs.dir, "data"), join(fs.dir, "fresh"), join(fs.dir, "new")]) {
      const error = openError(dir);
      expect(error.exitCode, dir).toBe(ExitCode.readOnlyFilesystem);
      expect(error.message).toContain("mount -o remount,rw");
    }
  });

  it.skipIf(tmpfsProblem)(`names a full disk${skipped}`, () => {
    const fs = tmpfs("256k");
    fillDisk(fs.dir);
    const error = openError(join(fs.dir, "data"));
    expect(error.exitCode).toBe(ExitCode.diskFull);
    expect(error.message).toContain("is full");
  });
});

function mkdirIn(parent: string, name: string): void {
  openDatabase(join(parent, name), { logger }).close();
}
