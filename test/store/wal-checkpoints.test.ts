import { copyFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import type { PairingSettings } from "../../src/pairing/pairing.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { TapJournal } from "../../src/store/journal.js";
import { WalCheckpoints, type WalPolicy } from "../../src/store/wal-checkpoints.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

const settings: PairingSettings = {
  minGapSeconds: 0,
  maxShiftHours: 12,
  minShiftSeconds: 0,
  terminalName: "door",
  commentTemplate: "{terminal}",
  rounding: null,
};
const defaults = { timeTypeId: "work", projectId: null };
const KiB = 1024;

function setup(policy: WalPolicy) {
  const dir = tempDir();
  const clock = new FakeClock("2026-03-10T07:00:00Z");
  const db = openDatabase(dir, { logger: silentLogger() });
  const path = databasePath(dir);
  const checkpoints = new WalCheckpoints({
    db,
    path,
    logger: silentLogger(),
    nowMs: () => clock.monotonicMs(),
    policy,
  });
  let n = 0;
  const journal = new TapJournal(db, clock, () => `entry-${++n}`);
  const tap = (i: number) => {
    const badgeId = `0F00${(i % 50).toString(16).toUpperCase().padStart(6, "0")}`;
    journal.record(
      { badgeId, knownBits: 40, raw: badgeId, source: "test" },
      { at: clock.now(), monoMs: clock.monotonicMs(), bootId: "b1", synced: true },
      settings,
      defaults,
    );
    checkpoints.noteTap();
    clock.advance(100);
  };
  const walBytes = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  return { dir, db, path, clock, checkpoints, tap, walBytes };
}

/** The files as a power cut would leave them: database and WAL, no shared-memory index. */
function tapsInCopy(from: string, dir: string): number {
  const copy = join(dir, "copy");
  const target = databasePath(copy);
  openDatabase(copy, { logger: silentLogger() }).close();
  copyFileSync(from, target);
  copyFileSync(`${from}-wal`, `${target}-wal`);
  const db = openDatabase(copy, { logger: silentLogger(), check: true });
  const { count } = db.prepare("SELECT count(*) AS count FROM taps").get() as { count: number };
  db.close();
  return count;
}

describe("WAL checkpoints of the daemon's connection", () => {
  it("turns SQLite's automatic checkpoint off, so that no tap's commit runs one", () => {
    const { db, tap, walBytes } = setup({ idleMs: 1000, maxWalBytes: 1e9, tickMs: 1000 });
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    // 1,000 WAL pages would have set off the automatic checkpoint; the WAL only grows.
    let before = walBytes();
    for (let i = 0; i < 400; i++) {
      tap(i);
      expect(walBytes()).toBeGreaterThanOrEqual(before);
      before = walBytes();
    }
    expect(walBytes()).toBeGreaterThan(1000 * (1024 + 24));
    db.close();
  });

  it("checkpoints passively only once no tap came for the idle time", () => {
    const { db, clock, checkpoints, tap } = setup({
      idleMs: 1000,
      maxWalBytes: 1e9,
      tickMs: 1000,
    });
    tap(1);
    expect(checkpoints.tick()).toBe("none");
    clock.advance(500);
    expect(checkpoints.tick()).toBe("none");
    clock.advance(500);
    expect(checkpoints.tick()).toBe("passive");
    tap(2);
    expect(checkpoints.tick()).toBe("none");
    db.close();
  });

  it("keeps the WAL within its bound while taps come without a pause, and every tap stays journalled", () => {
    const maxWalBytes = 64 * KiB;
    const { dir, db, path, checkpoints, tap, walBytes } = setup({
      idleMs: 60_000,
      maxWalBytes,
      tickMs: 1000,
    });
    const batch = 20;
    let grownPast = 0;
    let largestAfterTick = 0;
    for (let i = 0; i < 1000; i++) {
      tap(i);
      if ((i + 1) % batch !== 0) continue;
      const over = walBytes() > maxWalBytes;
      if (over) grownPast++;
      expect(checkpoints.tick()).toBe(over ? "truncate" : "none");
      largestAfterTick = Math.max(largestAfterTick, walBytes());
    }
    // The taps alone outgrow the bound again and again; each time a tick brings the file back.
    expect(grownPast).toBeGreaterThan(5);
    expect(largestAfterTick).toBeLessThanOrEqual(maxWalBytes);
    expect(tapsInCopy(path, dir)).toBe(1000);
    db.close();
  });
});
