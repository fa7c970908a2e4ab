import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  checkConsolePassword,
  consolePasswordVersion,
  listAudit,
  passwordProblem,
  READ_ONLY_LINK,
  SCRYPT_COST,
  setConsolePassword,
} from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/core/logger.js";
import { ConsolePasswordStore } from "../../src/store/console-password.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

function deps() {
  const dir = tempDir("timeclock-password-");
  const config = parseConfig(
    {
      terminal: { dataDir: dir },
      server: { baseUrl: "https://x.example/g", loginEmail: "a@b.example" },
      entry: { timeTypeId: "work" },
    },
    "test",
  );
  const db = openDatabase(dir, { logger: silentLogger() });
  return {
    dir,
    db,
    clock: new FakeClock("2026-03-10T08:00:00Z"),
    config,
    daemon: READ_ONLY_LINK,
    actor: "cli:anna",
  };
}

describe("the console password", () => {
  it("is kept as scrypt with a random salt and its parameters, never as text", async () => {
    const admin = deps();
    expect(await checkConsolePassword(admin, "anything")).toEqual({ ok: false, reason: "not-set" });
    await setConsolePassword(admin, "correct horse battery staple");
    const stored = new ConsolePasswordStore(admin.db).get();
    expect(JSON.parse(stored?.params ?? "{}")).toEqual({ algorithm: "scrypt", ...SCRYPT_COST });
    expect(Buffer.from(stored?.salt ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(stored?.hash ?? "", "base64")).toHaveLength(SCRYPT_COST.keylen);
    expect(stored?.setBy).toBe("cli:anna");
    admin.db.pragma("wal_checkpoint(TRUNCATE)");
    expect(readFileSync(databasePath(admin.dir)).includes("correct horse battery staple")).toBe(
      false,
    );

    const right = await checkConsolePassword(admin, "correct horse battery staple");
    expect(right).toEqual({ ok: true, version: consolePasswordVersion(admin) });
    expect(await checkConsolePassword(admin, "correct horse battery stapler")).toEqual({
      ok: false,
      reason: "wrong",
    });
    expect(
      (await listAudit(admin, { limit: 10 })).map((event) => [event.action, event.actor]),
    ).toEqual([["console.password.set", "cli:anna"]]);
  });

  it("gets a new salt, and so a new version, each time it is set", async () => {
    const admin = deps();
    await setConsolePassword(admin, "correct horse battery staple");
    const before = consolePasswordVersion(admin);
    const again = await setConsolePassword(admin, "correct horse battery staple");
    expect(again.replaced).toBe(true);
    expect(consolePasswordVersion(admin)).not.toBe(before);
    expect((await listAudit(admin, { limit: 10 })).map((event) => event.action)).toEqual([
      "console.password.set",
      "console.password.change",
    ]);
  });

  it.each([
    ["short", /at least 10/],
    [" leading space here", /begins or ends with a space/],
    ["x".repeat(257), /at most 256/],
  ])("refuses %j", async (password, message) => {
    expect(passwordProblem(password)).toMatch(message);
    await expect(setConsolePassword(deps(), password)).rejects.toThrow(message);
  });
});
