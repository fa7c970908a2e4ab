import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { clockCheck, dataCheck, unreadableDataDir } from "../../src/doctor/local-checks.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import type { ClockProbe, ClockState } from "../../src/system/clock-state.js";
import { FakeClock } from "../fakes/clock.js";
import { tmpfs, tmpfsProblem } from "../helpers/tmpfs.js";
import { depsWith, NOW, scratchDir, stateWith } from "./helpers.js";

describe("clock check", () => {
  const probe = (state: Omit<ClockState, "bootId"> | Error): ClockProbe => ({
    read: async () => {
      if (state instanceof Error) throw state;
      return { ...state, bootId: "boot" };
    },
    bootId: () => "boot",
  });

  it("trusts the system clock by config without asking the probe", async () => {
    const finding = await clockCheck.run(
      depsWith(),
      stateWith({ terminal: { clockTrust: "system" } }),
    );
    expect(finding).toMatchObject({ status: "ok", finding: expect.stringContaining('"system"') });
  });

  const none = {
    synchronized: false,
    source: "none" as const,
    detail: "no marker; no timedatectl",
  };
  it.each([
    [
      "auto",
      { synchronized: true, source: "chrony" as const },
      "ok",
      "system clock synchronised (checked by chrony)",
      undefined,
    ],
    [
      "auto",
      {
        synchronized: false,
        source: "timedatectl" as const,
        detail: "timedatectl reports NTPSynchronized=no",
      },
      "warn",
      "system clock not synchronised (checked by timedatectl): taps are stored but held until it is",
      "timedatectl reports NTPSynchronized=no",
    ],
    [
      "ntp",
      none,
      "warn",
      "system clock not synchronised (no time service answered): taps are stored but held until it is",
      "no marker; no timedatectl",
    ],
    [
      "auto",
      none,
      "warn",
      'no time service can tell whether the system clock is right, so terminal.clockTrust "auto" trusts it',
      'no marker; no timedatectl; on a machine with a battery-backed clock set terminal.clockTrust to "system"',
    ],
    [
      "ntp",
      new Error("cannot read the boot id"),
      "fail",
      "cannot tell whether the clock is synchronised: cannot read the boot id",
      "run timeclock on Linux with /proc mounted",
    ],
  ])("with clockTrust %s, reports %o as %s", async (clockTrust, state, status, finding, fix) => {
    const result = await clockCheck.run(
      depsWith({ clockProbe: probe(state) }),
      stateWith({ terminal: { clockTrust } }),
    );
    expect(result).toEqual(fix === undefined ? { status, finding } : { status, finding, fix });
  });
});

describe("data directory and database check", () => {
  const withData = (dataDir: string) => stateWith({ terminal: { dataDir } });

  it("fails a missing data directory with the command that creates it", () => {
    const dir = join(scratchDir(), "missing");
    expect(dataCheck.run(depsWith(), withData(dir))).toEqual({
      status: "fail",
      finding: `terminal.dataDir ${dir} cannot be read (ENOENT)`,
      fix: `create it for the service user: sudo install -d -o timeclock -g timeclock -m 0750 ${dir}, and let the service write there (ReadWritePaths=${dir} in a drop-in, see systemd/README.md)`,
    });
  });

  it.each([
    ["/var/lib/timeclock", "ENOENT", "warn"],
    ["/srv/timeclock", "ENOENT", "fail"],
    ["/var/lib/timeclock", "EACCES", "fail"],
  ])("judges %s refused with %s as %s (systemd creates only the default)", (dir, code, status) => {
    expect(unreadableDataDir(dir, code).status).toBe(status);
  });

  it("passes an empty data directory without creating a database", () => {
    const dir = scratchDir();
    const state = withData(dir);
    expect(dataCheck.run(depsWith(), state)).toMatchObject({
      status: "ok",
      finding: expect.stringContaining("no database yet"),
    });
    expect(state.badges).toEqual([]);
    expect(() => new Database(databasePath(dir), { fileMustExist: true })).toThrow();
  });

  it("passes a current database and hands its badges to the later checks", () => {
    const dir = scratchDir();
    const db = openDatabase(dir, { logger: silentLogger() });
    new BadgeRepository(db, new FakeClock(NOW)).put({
      badgeId: "0F00A1B2C3",
      knownBits: 40,
      email: "anna@x.en",
    });
    db.close();
    const state = withData(dir);
    expect(dataCheck.run(depsWith(), state)).toEqual({
      status: "ok",
      finding: `${dir} is writable; database ${databasePath(dir)} passes quick_check at schema version ${SCHEMA_VERSION}`,
    });
    expect(state.badges?.map((badge) => badge.email)).toEqual(["anna@x.en"]);
  });

  it("warns about an older schema, which the service migrates, and leaves it as it is", () => {
    const dir = scratchDir();
    openDatabase(dir, { logger: silentLogger(), targetVersion: SCHEMA_VERSION - 1 }).close();
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "warn",
      fix: "restart the service to migrate it: sudo systemctl restart timeclock",
    });
    const db = new Database(databasePath(dir));
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION - 1);
    db.close();
  });

  it("fails a schema newer than this program knows", () => {
    const dir = scratchDir();
    const db = openDatabase(dir, { logger: silentLogger() });
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(
        `schema version ${SCHEMA_VERSION + 1}, newer than this timeclock knows`,
      ),
    });
  });

  it("fails a missing database in a directory that held a journal, with the restore command", () => {
    const dir = scratchDir();
    openDatabase(dir, { logger: silentLogger() }).close();
    rmSync(databasePath(dir));
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "fail",
      finding: expect.stringContaining("is missing or empty"),
      fix: expect.stringContaining("timeclock restore FILE"),
    });
  });

  it.skipIf(tmpfsProblem)(
    `names a read-only filesystem and how to remount it, not chown${tmpfsProblem ? ` (skipped: ${tmpfsProblem})` : ""}`,
    () => {
      const fs = tmpfs("256k");
      openDatabase(fs.dir, { logger: silentLogger() }).close();
      fs.remountReadOnly();
      const found = dataCheck.run(depsWith(), withData(fs.dir));
      expect(found).toMatchObject({
        status: "fail",
        finding: expect.stringContaining("mounted read-only"),
        fix: expect.stringContaining("mount -o remount,rw"),
      });
      expect(JSON.stringify(found)).not.toContain("chown");
    },
  );

  it("fails a file that is not a database, with the recovery command", () => {
    const dir = scratchDir();
    writeFileSync(databasePath(dir), "this is not SQLite ".repeat(300));
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "fail",
      finding: expect.stringContaining("(SQLITE_NOTADB)"),
      fix: expect.stringContaining("timeclock recover"),
    });
  });
});
