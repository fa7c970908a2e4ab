import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  clearBadgePin,
  editBadge,
  isAdminError,
  listAudit,
  listBadges,
  READ_ONLY_LINK,
  removeBadge,
  setBadgePin,
  tryPin,
  unlockBadgePin,
} from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/core/logger.js";
import { BadgePinStore } from "../../src/store/badge-pins.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

const POLICY = { wrongBeforeLock: 3, lockMinutes: 15 };
const ANNA = "0F00A1B2C3";

function admin(dir = tempDir("timeclock-pins-"), clock = new FakeClock("2026-03-10T08:00:00Z")) {
  const config = parseConfig(
    {
      terminal: { dataDir: dir },
      server: { baseUrl: "https://x.example/g", loginEmail: "a@b.example" },
      entry: { timeTypeId: "work" },
    },
    "test",
  );
  const db = openDatabase(dir, { logger: silentLogger() });
  return { dir, db, clock, config, daemon: READ_ONLY_LINK, actor: "cli:office" };
}

function seeded() {
  const deps = admin();
  new BadgeRepository(deps.db, deps.clock).putAll([
    { badgeId: ANNA, knownBits: 40, email: "anna@example.com", name: "Anna Schmidt" },
    { badgeId: "0F00000001", knownBits: 40, email: "bert@example.com", name: "Bert" },
    { badgeId: "0F00000002", knownBits: 40, email: "bert@example.com", name: "Bert (spare)" },
  ]);
  return deps;
}

describe("PINs for a forgotten badge, on a real SQLite file", () => {
  it("keeps a slow hash, never the PIN, and records who set it without the PIN", async () => {
    const deps = seeded();
    const set = await setBadgePin(deps, { badge: "anna@example.com", pin: "480815" });
    expect(set).toMatchObject({ replaced: false, wasLocked: false, badge: { badgeId: ANNA } });
    const stored = new BadgePinStore(deps.db).get(ANNA);
    expect(stored).toMatchObject({ email: "anna@example.com", setBy: "cli:office", failures: 0 });
    expect(JSON.parse(stored?.params ?? "{}")).toMatchObject({ algorithm: "scrypt" });
    deps.db.pragma("wal_checkpoint(TRUNCATE)");
    expect(readFileSync(databasePath(deps.dir)).includes("480815")).toBe(false);
    const audit = await listAudit(deps, { limit: 10 });
    expect(audit.map((event) => [event.action, event.subject, event.actor])).toEqual([
      ["badge.pin.set", ANNA, "cli:office"],
    ]);
    expect(JSON.stringify(audit)).not.toContain("480815");
    expect(listBadges(deps).map((badge) => [badge.badgeId, badge.pin])).toEqual([
      [ANNA, { lockedUntil: null }],
      ["0F00000001", null],
      ["0F00000002", null],
    ]);
  });

  it("refuses a weak PIN, an unknown person and a person with two badges, naming what to do", async () => {
    const deps = seeded();
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => (isAdminError(error) ? [error.code, error.message] : error),
      );
    expect(await refusal(setBadgePin(deps, { badge: ANNA, pin: "2222" }))).toEqual([
      "ADM_INVALID",
      expect.stringMatching(/repeats one digit/),
    ]);
    expect(await refusal(setBadgePin(deps, { badge: "carl@example.com", pin: "4711" }))).toEqual([
      "ADM_NOT_FOUND",
      expect.stringMatching(/no badge is mapped to carl@example.com/),
    ]);
    expect(await refusal(setBadgePin(deps, { badge: "bert@example.com", pin: "4711" }))).toEqual([
      "ADM_SEVERAL_MATCH",
      expect.stringMatching(/2 badges \(0F00000001, 0F00000002\); name the badge/),
    ]);
    expect(await refusal(setBadgePin(deps, { badge: "0F0000FFFF", pin: "4711" }))).toEqual([
      "ADM_NOT_FOUND",
      expect.stringMatching(/not mapped/),
    ]);
    expect(new BadgePinStore(deps.db).holders()).toEqual([]);
  });

  it("locks a badge after wrong PINs in a row, and the lock outlives a restart", async () => {
    const deps = seeded();
    await setBadgePin(deps, { badge: ANNA, pin: "480815" });
    expect(await tryPin(deps, ANNA, "480816", POLICY)).toEqual({ outcome: "wrong", left: 2 });
    // A right PIN forgets the wrong ones.
    expect(await tryPin(deps, ANNA, "480815", POLICY)).toMatchObject({ outcome: "right" });
    expect(await tryPin(deps, ANNA, "1", POLICY)).toEqual({ outcome: "wrong", left: 2 });
    expect(await tryPin(deps, ANNA, "2", POLICY)).toEqual({ outcome: "wrong", left: 1 });
    const until = new Date("2026-03-10T08:15:00Z");
    expect(await tryPin(deps, ANNA, "3", POLICY)).toEqual({ outcome: "locked", until });
    // Locked, even the right PIN is not taken.
    expect(await tryPin(deps, ANNA, "480815", POLICY)).toEqual({ outcome: "locked", until });
    deps.db.close();

    const clock = new FakeClock("2026-03-10T08:10:00Z");
    const again = admin(deps.dir, clock);
    expect(await tryPin(again, ANNA, "480815", POLICY)).toEqual({ outcome: "locked", until });
    expect(listBadges(again).find((badge) => badge.badgeId === ANNA)?.pin).toEqual({
      lockedUntil: until.toISOString(),
    });
    clock.set("2026-03-10T08:15:00Z");
    expect(await tryPin(again, ANNA, "480815", POLICY)).toMatchObject({
      outcome: "right",
      badge: { badgeId: ANNA, knownBits: 40, email: "anna@example.com", name: "Anna Schmidt" },
    });
  });

  it("lifts a lockout by a new PIN or --unlock, and a cleared PIN counts no more", async () => {
    const deps = seeded();
    await setBadgePin(deps, { badge: ANNA, pin: "480815" });
    for (const guess of ["1", "2", "3"]) await tryPin(deps, ANNA, guess, POLICY);
    expect(unlockBadgePin(deps, { badge: ANNA })).toMatchObject({ wasLocked: true });
    expect(await tryPin(deps, ANNA, "480815", POLICY)).toMatchObject({ outcome: "right" });
    for (const guess of ["1", "2", "3"]) await tryPin(deps, ANNA, guess, POLICY);
    expect(await setBadgePin(deps, { badge: ANNA, pin: "902714" })).toMatchObject({
      replaced: true,
      wasLocked: true,
    });
    expect(await tryPin(deps, ANNA, "480815", POLICY)).toEqual({ outcome: "wrong", left: 2 });
    expect(await tryPin(deps, ANNA, "902714", POLICY)).toMatchObject({ outcome: "right" });
    expect(clearBadgePin(deps, { badge: ANNA })).toMatchObject({ wasLocked: false });
    expect(await tryPin(deps, ANNA, "902714", POLICY)).toEqual({ outcome: "no-pin" });
    expect((await listAudit(deps, { limit: 10 })).map((event) => event.action)).toEqual([
      "badge.pin.set",
      "badge.pin.unlock",
      "badge.pin.change",
      "badge.pin.clear",
    ]);
  });

  it("does not let a badge keep its PIN when it goes to someone else or is removed", async () => {
    const deps = seeded();
    await setBadgePin(deps, { badge: ANNA, pin: "480815" });
    await editBadge(deps, { badge: ANNA, email: "carl@example.com" });
    expect(await tryPin(deps, ANNA, "480815", POLICY)).toEqual({ outcome: "no-pin" });
    expect(listBadges(deps).find((badge) => badge.badgeId === ANNA)?.pin).toBeNull();
    await editBadge(deps, { badge: ANNA, email: "anna@example.com" });
    await removeBadge(deps, { badge: ANNA });
    new BadgeRepository(deps.db, deps.clock).putAll([
      { badgeId: ANNA, knownBits: 40, email: "anna@example.com" },
    ]);
    expect(await tryPin(deps, ANNA, "480815", POLICY)).toEqual({ outcome: "no-pin" });
  });
});
