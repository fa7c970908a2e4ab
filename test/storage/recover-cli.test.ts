import { readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { databasePath } from "../../src/store/database.js";
import { lockDataDir } from "../../src/store/lock.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import { harness } from "../admin/cli-harness.js";

describe("timeclock recover", () => {
  it("salvages a truncated journal, reports rows and version, and says what to do next", async () => {
    const h = harness();
    const db = h.openDb();
    const insert = db.prepare(
      `INSERT INTO taps (badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome, reason)
       VALUES ('0F00A1B2C3', 40, 'test', ?, ?, 'b', 1, 'refused', ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 2000; i++)
        insert.run(new Date(i * 1000).toISOString(), i, "x".repeat(80));
    })();
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    const path = databasePath(h.dataDir);
    truncateSync(path, Math.floor(readFileSync(path).length / 2 / 1024) * 1024);
    const to = join(h.dir, "salvaged.db");

    const result = await h.cli("recover", "--to", to);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `salvaged ${path} into ${to} (schema version ${SCHEMA_VERSION}); ${path} is left as it was`,
    );
    expect(result.stdout).toMatch(/rows saved: .*taps \d+/);
    expect(result.stdout).toContain("damaged pages cost rows of: taps");
    expect(result.stdout).toContain(`timeclock restore ${to}`);
    expect((await h.cli("restore", to)).code).toBe(0);
    // The restored journal opens: status reads it (and, with no daemon running, says so).
    const status = await h.cli("status", "--json");
    expect(status.code).toBe(ExitCode.critical);
    expect(JSON.parse(status.stdout).entries).toMatchObject({ pending: 0 });
  });

  it("refuses while the terminal holds the data directory", async () => {
    const h = harness();
    const lock = await lockDataDir(h.dataDir, "run");
    onTestFinished(() => lock.release());
    const result = await h.cli("recover");
    expect(result.code).toBe(ExitCode.dataDirBusy);
    expect(result.stderr).toContain(`(pid ${process.pid} (run) since`);
  });
});
