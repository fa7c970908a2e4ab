import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { tapsBetween } from "../../src/store/reports.js";
import { tapper } from "../admin/seed.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

const logger = silentLogger();
const CODES = MIGRATIONS.find((step) => step.description.startsWith("tap reasons as codes"));
const EVER = [new Date("2000-01-01T00:00:00Z"), new Date("2100-01-01T00:00:00Z")] as const;

describe("tap reasons as codes", () => {
  it("are given to taps journalled before, from the reasons main wrote in words", () => {
    if (!CODES) throw new Error("the reason-code migration is missing");
    const dir = tempDir();
    const old = openDatabase(dir, { logger, targetVersion: CODES.version - 1 });
    const insert = old.prepare(
      `INSERT INTO taps (badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome, reason)
       VALUES (?, 40, 'old', ?, 0, 'b', 1, ?, ?)`,
    );
    insert.run(
      "0E00000001",
      "2026-03-01T08:00:00.000Z",
      "refused",
      "unknown badge: not mapped to any user (timeclock badges add)",
    );
    insert.run(
      "0E00000002",
      "2026-03-01T08:01:00.000Z",
      "refused",
      "ambiguous badge: the bits this reader sees match 2 mapped badges",
    );
    insert.run(
      "0E00000003",
      "2026-03-01T08:02:00.000Z",
      "ignored",
      "too soon: 3 s after this user's last accepted tap",
    );
    insert.run(
      "0E00000004",
      "2026-03-01T08:03:00.000Z",
      "ignored",
      "the out key was pressed but no shift is open",
    );
    insert.run("0E00000005", "2026-03-01T08:04:00.000Z", "clock-in", null);
    old.close();

    const db = openDatabase(dir, { logger });
    expect(tapsBetween(db, ...EVER).map((tap) => tap.reasonCode)).toEqual([
      "unknown-badge",
      "ambiguous-badge",
      "too-soon",
      "no-open-shift",
      null,
    ]);
    expect(new BadgeRepository(db, new FakeClock("2026-03-02T00:00:00Z")).unknown()).toMatchObject([
      { badgeId: "0E00000001", taps: 1 },
    ]);
    db.close();
  });

  it("are written with every refused or ignored tap, and unknown badges are found by code", () => {
    const clock = new FakeClock("2026-03-10T08:00:00Z");
    const db = openDatabase(tempDir(), { logger });
    const badges = new BadgeRepository(db, clock);
    badges.put({ badgeId: "0F00A1B2C3", knownBits: 40, email: "anna@example.com" });
    const tap = tapper(db, clock);
    expect(tap("0E0000AAAA")).toMatchObject({ outcome: "refused", reasonCode: "unknown-badge" });
    tap("0F00A1B2C3");
    expect(tap("0F00A1B2C3")).toMatchObject({ outcome: "ignored", reasonCode: "too-soon" });
    clock.advance(3_600_000);
    tap("0E0000BBBB");
    expect(badges.unknown().map((badge) => badge.badgeId)).toEqual(["0E0000BBBB", "0E0000AAAA"]);
    expect(badges.unknown(new Date("2026-03-10T08:30:00Z")).map((badge) => badge.badgeId)).toEqual([
      "0E0000BBBB",
    ]);
    db.close();
  });
});
