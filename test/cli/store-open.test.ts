import { existsSync, rmSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { markerPath } from "../../src/store/data-dir.js";
import { harness } from "../admin/cli-harness.js";

/** Contract 9: read-only admin commands never create a database; badges add does, only when new. */

const READ_ONLY_COMMANDS = [
  ["status"],
  ["status", "--json"],
  ["queue"],
  ["review"],
  ["export", "--from", "2026-03-01", "--to", "2026-03-31"],
  ["badges", "list"],
  ["badges", "unknown"],
  ["badges", "export"],
];

describe("admin commands and a missing database", () => {
  it.each(READ_ONLY_COMMANDS)(
    "%s %s never creates a database in a fresh data directory",
    async (...argv) => {
      const h = harness({ fresh: true });
      const result = await h.cli(...argv);
      expect(result.code).toBe(ExitCode.databaseMissing);
      expect(result.stderr).toContain(`no database in ${h.dataDir} yet`);
      expect(existsSync(join(h.dataDir, "timeclock.db"))).toBe(false);
    },
  );

  it.each([
    ["deleted", (path: string) => rmSync(path)],
    ["0 bytes", (path: string) => truncateSync(path, 0)],
  ])(
    "refuses a database %s where a journal was kept, naming restore, and creates none",
    async (_, lose) => {
      const h = harness();
      const path = join(h.dataDir, "timeclock.db");
      lose(path);
      for (const argv of [
        ["status"],
        ["queue"],
        ["badges", "add", "0F00A1B2C3", "a@example.com"],
      ]) {
        const result = await h.cli(...argv);
        expect(result.code, argv.join(" ")).toBe(ExitCode.databaseMissing);
        expect(result.stderr).toContain("timeclock restore FILE");
        expect(result.stderr).toContain(markerPath(h.dataDir));
      }
      expect(statSync(path, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
    },
  );

  it("lets badges add start the journal in a fresh data directory, and says so on stderr", async () => {
    const h = harness({ fresh: true });
    const result = await h.cli("badges", "add", "0F00A1B2C3", "anna@example.com");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("created a new, empty database");
    expect(existsSync(markerPath(h.dataDir))).toBe(true);
    const again = await h.cli("badges", "add", "0F00A1B2C4", "ben@example.com");
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain("created");
    // status reads the new journal; with no terminal running it says so, critically.
    const status = await h.cli("status", "--json");
    expect(status.code).toBe(ExitCode.critical);
    expect(JSON.parse(status.stdout).daemon).toBeNull();
  });
});
