import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { SEED_TIME_TYPES, SEED_USERS } from "../../src/simulator/index.js";
import { openDatabase } from "../../src/store/database.js";
import { mapBadges, setup, startDaemon } from "./site.js";

const floorMinute = (date: Date) => Math.floor(date.getTime() / 60_000) * 60_000;

describe("timeclock run with a serial RDM6300 reader on a pseudo-terminal", () => {
  it("turns two taps into one entry in GoodTime with the right user, instants and time type", async () => {
    const s = await setup();
    mapBadges(join(s.dir, "data"), [{ badgeId: "0F00A1B2C3", email: SEED_USERS.anna }]);
    const daemon = startDaemon(s.configPath);
    await daemon.waitFor((r) => r.msg === "terminal ready", "readiness");

    s.tap("0F00A1B2C3");
    const tapIn = await daemon.waitFor((r) => r.outcome === "clock-in", "the clock-in");
    s.tap("1234567890");
    await daemon.waitFor((r) => r.outcome === "refused", "the unknown badge");
    await sleep(1100);
    s.tap("0F00A1B2C3");
    await daemon.waitFor((r) => r.outcome === "clock-out", "the clock-out");
    await daemon.waitFor((r) => r.msg === "entry booked", "the booking");

    const entries = s.sim.state.entries();
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    const tapInAt = new Date(String(tapIn.at));
    expect(entry?.userEmail).toBe(SEED_USERS.anna);
    expect(entry?.timeTypeId).toBe(SEED_TIME_TYPES.workingHours.id);
    expect(entry?.comment).toBe("e2e-door");
    expect(entry?.start.getTime()).toBe(floorMinute(tapInAt));
    // Under a minute apart: GoodTime's whole-minute rule puts the end one minute after the start.
    expect((entry?.end.getTime() ?? 0) - (entry?.start.getTime() ?? 0)).toBe(60_000);

    const stopped = await daemon.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    expect(daemon.records.some((r) => r.msg === "terminal stopped")).toBe(true);
    const db = openDatabase(join(s.dir, "data"), { logger: silentLogger(), check: false });
    expect(db.prepare("SELECT outcome FROM taps ORDER BY id").all()).toEqual([
      { outcome: "clock-in" },
      { outcome: "refused" },
      { outcome: "clock-out" },
    ]);
    db.close();
  });

  it("loses no accepted tap and books every shift exactly once when killed mid-sync", async () => {
    const users = Array.from(
      { length: 24 },
      (_, i) => `worker${String(i).padStart(2, "0")}@gtsandbox.en`,
    );
    const badges = users.map((email, i) => ({
      badgeId: `0E0000${String(i).padStart(4, "0")}`,
      email,
    }));
    const s = await setup({ users, minGapSeconds: 0 });
    mapBadges(join(s.dir, "data"), badges);
    s.sim.faults.setLatency({ minMs: 50, maxMs: 250 });
    s.sim.faults.dropNext(3, "after-commit", { path: /createtimeentry/ });

    const first = startDaemon(s.configPath);
    await first.waitFor((r) => r.msg === "terminal ready", "readiness");
    for (const badge of badges) {
      s.tap(badge.badgeId);
      await sleep(15);
    }
    for (const badge of badges.slice(0, 16)) {
      s.tap(badge.badgeId);
      await sleep(15);
    }
    await first.waitFor((r) => r.msg === "entry booked", "a first booking");
    await first.stop("SIGKILL");
    const acceptedBeforeCrash = first.records.filter((r) => typeof r.tapId === "number");

    const second = startDaemon(s.configPath);
    await second.waitFor((r) => r.msg === "terminal ready", "readiness after the crash");
    for (const badge of badges.slice(16)) {
      s.tap(badge.badgeId);
      await sleep(15);
    }
    const deadline = Date.now() + 30_000;
    while (s.sim.state.entries().length < users.length && Date.now() < deadline) await sleep(100);
    await sleep(500);
    await second.stop("SIGTERM");

    const db = openDatabase(join(s.dir, "data"), { logger: silentLogger(), check: false });
    const journalIds = new Set(
      (db.prepare("SELECT id FROM taps").all() as { id: number }[]).map((r) => r.id),
    );
    for (const record of [
      ...acceptedBeforeCrash,
      ...second.records.filter((r) => typeof r.tapId === "number"),
    ]) {
      expect(journalIds.has(record.tapId as number)).toBe(true);
    }
    const booked = db.prepare("SELECT email, server_id, state FROM entries").all() as {
      email: string;
      server_id: string | null;
      state: string;
    }[];
    db.close();

    const remote = s.sim.state.entries();
    expect(remote).toHaveLength(users.length);
    expect(new Set(remote.map((e) => e.userEmail)).size).toBe(users.length);
    expect(booked).toHaveLength(users.length);
    expect(booked.every((e) => e.state === "booked")).toBe(true);
    expect(new Set(booked.map((e) => e.server_id))).toEqual(new Set(remote.map((e) => e.id)));
  }, 60_000);
});
