import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { mapBadges, setup, startDaemon } from "./site.js";

const BADGES = ["0F00A1B2C3", "0F00A1B2C4", "0F00A1B2C5"];

describe("timeclock run while it starts", () => {
  it("journals the frames a serial reader sent before the terminal was ready, waiting out another process's lock", async () => {
    const users = BADGES.map((_, i) => `early${i}@gtsandbox.en`);
    const s = await setup({ users, minGapSeconds: 0 });
    const dataDir = join(s.dir, "data");
    mapBadges(
      dataDir,
      BADGES.map((badgeId, i) => ({ badgeId, email: users[i] as string })),
    );
    // Another connection holds the database in exclusive mode: the daemon cannot open its journal,
    // and so cannot be ready, until this test lets go; its reader opens before that.
    const holder = new Database(databasePath(dataDir));
    holder.pragma("locking_mode = EXCLUSIVE");
    holder.exec("BEGIN IMMEDIATE; CREATE TABLE held (x); DROP TABLE held; COMMIT");
    let held = true;
    try {
      const daemon = startDaemon(s.configPath);
      await daemon.waitFor(
        (r) => r.msg === "reader open" && r.part === "reader",
        "the reader opening",
        30_000,
      );
      for (const badge of BADGES) s.tap(badge);
      // Held past an admin command's wait: the daemon says so and keeps waiting, it does not fail.
      await daemon.waitFor(
        (r) => r.msg.startsWith("another process holds the journal's write lock"),
        "the daemon waiting for the lock",
        30_000,
      );
      expect(daemon.records.some((r) => r.msg === "terminal ready")).toBe(false);
      holder.close();
      held = false;

      await daemon.waitFor((r) => r.msg === "terminal ready", "readiness");
      for (const badge of BADGES) {
        await daemon.waitFor(
          (r) => r.badge === badge && r.outcome === "clock-in",
          `${badge}'s tap`,
        );
      }
      expect((await daemon.stop("SIGTERM")).code).toBe(0);
    } finally {
      if (held) holder.close();
    }
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    const taps = db.prepare("SELECT badge_id, outcome FROM taps ORDER BY id").all();
    db.close();
    expect(taps).toEqual(BADGES.map((badge_id) => ({ badge_id, outcome: "clock-in" })));
  });
});
