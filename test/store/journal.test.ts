import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import type { PairingSettings, TapTime } from "../../src/pairing/pairing.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { TapJournal, type TapRead } from "../../src/store/journal.js";
import { Outbox } from "../../src/store/outbox.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

const settings: PairingSettings = {
  minGapSeconds: 60,
  maxShiftHours: 12,
  minShiftSeconds: 0,
  terminalName: "door",
  commentTemplate: "{terminal}",
  rounding: null,
};
const defaults = { timeTypeId: "work", projectId: null };

function setup() {
  const dir = tempDir();
  const clock = new FakeClock("2026-03-10T07:00:00Z");
  const db = openDatabase(dir, { logger: silentLogger() });
  let n = 0;
  const journal = new TapJournal(db, clock, () => `entry-${++n}`);
  const badges = new BadgeRepository(db, clock);
  const tap = (badgeId: string, knownBits: 24 | 32 | 40 = 40) => {
    const read: TapRead = { badgeId, knownBits, raw: badgeId, source: "test" };
    const time: TapTime = {
      at: clock.now(),
      monoMs: clock.monotonicMs(),
      bootId: "b1",
      synced: true,
    };
    return journal.record(read, time, settings, defaults);
  };
  return { dir, db, clock, journal, badges, tap, outbox: new Outbox(db) };
}

describe("tap journal", () => {
  it("journals every tap with its outcome and queues one entry per shift", () => {
    const { db, clock, badges, tap, outbox } = setup();
    badges.put({
      badgeId: "0F00A1B2C3",
      knownBits: 40,
      email: "anna@example.com",
      name: "Anna",
      projectId: "p1",
    });
    expect(tap("0F00A1B2C3").outcome).toBe("clock-in");
    clock.advance(10_000);
    expect(tap("0F00A1B2C3").outcome).toBe("ignored");
    clock.advance(8 * 3_600_000);
    const out = tap("0F00A1B2C3");
    expect(out.outcome).toBe("clock-out");
    expect(tap("1111111111")).toMatchObject({ outcome: "refused", email: null });

    const journal = db.prepare("SELECT id, outcome, email, entry_id FROM taps ORDER BY id").all();
    expect(journal).toEqual([
      { id: 1, outcome: "clock-in", email: "anna@example.com", entry_id: null },
      { id: 2, outcome: "ignored", email: "anna@example.com", entry_id: null },
      { id: 3, outcome: "clock-out", email: "anna@example.com", entry_id: "entry-3" },
      { id: 4, outcome: "refused", email: null, entry_id: null },
    ]);
    const [entry] = outbox.list();
    expect(entry).toMatchObject({
      id: "entry-3",
      email: "anna@example.com",
      start: new Date("2026-03-10T07:00:00Z"),
      end: new Date("2026-03-10T15:00:10Z"),
      timeTypeId: "work",
      projectId: "p1",
      state: "pending",
      startTapId: 1,
      endTapId: 3,
    });
  });

  it("pairs per user, not per badge", () => {
    const { clock, badges, tap, outbox } = setup();
    badges.put({ badgeId: "0F00A1B2C3", knownBits: 40, email: "anna@example.com" });
    badges.put({ badgeId: "0F00A1B2C4", knownBits: 40, email: "anna@example.com" });
    tap("0F00A1B2C3");
    clock.advance(3_600_000);
    expect(tap("0F00A1B2C4").outcome).toBe("clock-out");
    expect(outbox.list()).toHaveLength(1);
  });

  it("resolves a partial read (low 32 bits) to the mapped badge and lists unknown badges", () => {
    const { clock, badges, tap } = setup();
    badges.put({ badgeId: "0F00A1B2C3", knownBits: 40, email: "anna@example.com" });
    expect(tap("0000A1B2C3", 32)).toMatchObject({ outcome: "clock-in", email: "anna@example.com" });
    tap("2222222222");
    clock.advance(5000);
    tap("2222222222");
    expect(badges.unknown()).toEqual([
      expect.objectContaining({
        badgeId: "2222222222",
        taps: 2,
        firstAt: "2026-03-10T07:00:00.000Z",
        lastAt: "2026-03-10T07:00:05.000Z",
      }),
    ]);
    badges.put({ badgeId: "2222222222", knownBits: 40, email: "ben@example.com" });
    expect(badges.unknown()).toEqual([]);
  });

  it("moves an overlong shift to review and opens a new one", () => {
    const { db, clock, badges, tap, outbox } = setup();
    badges.put({ badgeId: "0F00A1B2C3", knownBits: 40, email: "anna@example.com" });
    tap("0F00A1B2C3");
    clock.advance(13 * 3_600_000);
    expect(tap("0F00A1B2C3")).toMatchObject({ outcome: "clock-in", reviewed: true });
    expect(outbox.list()).toEqual([]);
    expect(db.prepare("SELECT email, start_tap_id, resolution FROM reviews").all()).toEqual([
      { email: "anna@example.com", start_tap_id: 1, resolution: null },
    ]);
  });

  it("survives a reopen: an open shift is closed by a tap after restart", () => {
    const { dir, clock, badges, tap, db } = setup();
    badges.put({ badgeId: "0F00A1B2C3", knownBits: 40, email: "anna@example.com" });
    tap("0F00A1B2C3");
    db.close();
    const reopened = openDatabase(dir, { logger: silentLogger() });
    clock.advance(3_600_000);
    const journal = new TapJournal(reopened, clock, () => "after-restart");
    const time: TapTime = {
      at: clock.now(),
      monoMs: clock.monotonicMs(),
      bootId: "b1",
      synced: true,
    };
    const result = journal.record(
      { badgeId: "0F00A1B2C3", knownBits: 40, raw: "", source: "t" },
      time,
      settings,
      defaults,
    );
    expect(result.entry?.id).toBe("after-restart");
  });
});
