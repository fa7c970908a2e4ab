import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/core/logger.js";
import type { FeedbackSignal } from "../../src/feedback/feedback.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { Outbox } from "../../src/store/outbox.js";
import { reanchorHeldEntries } from "../../src/store/reanchor.js";
import { intentForKey } from "../../src/terminal/keys.js";
import { Terminal } from "../../src/terminal/terminal.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

const BADGE = { badgeId: "0F00A1B2C3", knownBits: 40 as const, raw: "0F00A1B2C3" };

function setup(options: { synced?: boolean } = {}) {
  const dir = tempDir();
  const config = parseConfig(
    {
      terminal: { name: "door", dataDir: dir },
      server: { loginEmail: "admin@example.com" },
      entry: { timeTypeId: "work" },
    },
    "test",
  );
  const db = openDatabase(dir, { logger: silentLogger() });
  const clock = new FakeClock("2026-03-10T07:00:00Z");
  new BadgeRepository(db, clock).put({
    badgeId: BADGE.badgeId,
    knownBits: 40,
    email: "anna@example.com",
  });
  const signals: { signal: FeedbackSignal; tapsOnDisk: number }[] = [];
  let queued = 0;
  const sync = { synced: options.synced ?? true };
  const terminal = new Terminal({
    db,
    config,
    clock,
    logger: silentLogger(),
    feedback: {
      signal: (signal) => {
        const row = db.open
          ? (db.prepare("SELECT count(*) AS n FROM taps").get() as { n: number })
          : { n: -1 };
        signals.push({ signal, tapsOnDisk: row.n });
      },
      setBacklog: () => {},
    },
    onEntryQueued: () => queued++,
    clockReading: () => ({ synced: sync.synced, bootId: "boot-1" }),
    source: "test",
  });
  return { db, clock, terminal, signals, outbox: new Outbox(db), queued: () => queued, sync };
}

describe("terminal", () => {
  it("commits each tap before it signals, and signals what happened", () => {
    const { clock, terminal, signals, queued } = setup();
    terminal.handleRead(BADGE);
    clock.advance(30_000);
    terminal.handleRead(BADGE);
    clock.advance(3_600_000);
    terminal.handleRead(BADGE);
    terminal.handleRead({ badgeId: "1111111111", knownBits: 40, raw: "" });
    expect(signals).toEqual([
      { signal: "clock-in", tapsOnDisk: 1 },
      { signal: "ignored", tapsOnDisk: 2 },
      { signal: "clock-out", tapsOnDisk: 3 },
      { signal: "unknown-badge", tapsOnDisk: 4 },
    ]);
    expect(queued()).toBe(1);
  });

  it("signals refused and stores nothing when the database cannot take the tap", () => {
    const { db, terminal, signals } = setup();
    db.close();
    expect(terminal.handleRead(BADGE)).toBeNull();
    expect(signals.map((s) => s.signal)).toEqual(["refused"]);
  });

  it("applies a function key to the next tap within its window only", () => {
    const { clock, terminal, outbox } = setup();
    terminal.handleRead(BADGE);
    clock.advance(4 * 3_600_000);
    terminal.setIntent(
      intentForKey("break", [{ name: "break", bcm: 5, activeLow: true, timeTypeId: "break" }]),
      5000,
    );
    clock.advance(2000);
    expect(terminal.handleRead(BADGE)?.outcome).toBe("clock-out");
    clock.advance(30 * 60_000);
    terminal.handleRead(BADGE);
    expect(outbox.list().map((e) => e.timeTypeId)).toEqual(["work", "break"]);

    terminal.setIntent({ kind: "out" }, 5000);
    clock.advance(61_000);
    expect(terminal.handleRead(BADGE)?.outcome).toBe("clock-in");
  });

  it.each([
    { name: "in" as const, timeTypeId: undefined, intent: { kind: "in" } },
    { name: "in" as const, timeTypeId: "site", intent: { kind: "in", timeTypeId: "site" } },
    { name: "out" as const, timeTypeId: undefined, intent: { kind: "out" } },
    {
      name: "break" as const,
      timeTypeId: "pause",
      intent: { kind: "switch", timeTypeId: "pause" },
    },
    { name: "break" as const, timeTypeId: undefined, intent: { kind: "out" } },
  ])("key $name with time type $timeTypeId means $intent.kind", ({ name, timeTypeId, intent }) => {
    const keys = [{ name, bcm: 5, activeLow: true, ...(timeTypeId ? { timeTypeId } : {}) }];
    expect(intentForKey(name, keys)).toEqual(intent);
  });

  it("holds a shift tapped before the clock synchronised and re-anchors it from monotonic time", () => {
    const { db, clock, terminal, outbox, queued, sync } = setup({ synced: false });
    clock.set("2025-01-01T00:00:00Z");
    terminal.handleRead(BADGE);
    clock.advance(8 * 3_600_000);
    terminal.handleRead(BADGE);
    expect(outbox.list()[0]?.state).toBe("held");
    expect(queued()).toBe(0);

    sync.synced = true;
    clock.stepWall(Date.parse("2026-03-10T15:30:00Z") - clock.now().getTime());
    const result = reanchorHeldEntries(
      db,
      "boot-1",
      clock.now().getTime() - clock.monotonicMs(),
      clock.now(),
    );
    expect(result).toEqual({ released: 1, reviewed: 0 });
    expect(outbox.list()[0]).toMatchObject({
      state: "pending",
      start: new Date("2026-03-10T07:30:00Z"),
      end: new Date("2026-03-10T15:30:00Z"),
    });
  });

  it("sends a held shift of an earlier boot that never synchronised to review", () => {
    const { db, clock, terminal, outbox } = setup({ synced: false });
    terminal.handleRead(BADGE);
    clock.advance(3_600_000);
    terminal.handleRead(BADGE);
    const result = reanchorHeldEntries(db, "boot-2", 0, clock.now());
    expect(result).toEqual({ released: 0, reviewed: 1 });
    expect(outbox.list()[0]?.state).toBe("discarded");
    const review = db.prepare("SELECT reason, resolution FROM reviews").get() as {
      reason: string;
      resolution: null;
    };
    expect(review.reason).toContain("before its clock was ever synchronised");
  });
});
