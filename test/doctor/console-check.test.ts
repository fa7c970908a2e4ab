import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { READ_ONLY_LINK, setConsolePassword } from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import { ensureTlsMaterial } from "../../src/console/tls.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { consoleCheck } from "../../src/doctor/console-check.js";
import type { DoctorDeps, DoctorState } from "../../src/doctor/types.js";
import { openDatabase, openExistingDatabase } from "../../src/store/database.js";
import { tempDir } from "../helpers/temp.js";

function setup(console: Record<string, unknown>) {
  const dir = tempDir("timeclock-doctor-console-");
  const config = parseConfig(
    {
      terminal: { dataDir: join(dir, "data") },
      server: { baseUrl: "https://x.example/g", loginEmail: "a@b.example" },
      entry: { timeTypeId: "work" },
      console,
    },
    "test",
  );
  const state = {
    loaded: {
      config,
      path: "c",
      apiPassword: undefined,
      passwordSource: "none",
      passwordProblem: undefined,
      warnings: [],
    },
    serverReachable: false,
    loggedIn: false,
  } as DoctorState;
  const deps = { openDb: openExistingDatabase } as DoctorDeps;
  return { config, state, deps };
}

describe("doctor's web console check", () => {
  it("is quiet when the console is off", () => {
    const { state, deps } = setup({});
    expect(consoleCheck.run(deps, state)).toEqual({
      status: "ok",
      finding: "off (console.enabled is false)",
    });
  });

  it("names the certificate's fingerprint, and warns while no password is set", async () => {
    const { config, state, deps } = setup({ enabled: true });
    expect(consoleCheck.run(deps, state)).toMatchObject({
      status: "ok",
      finding: expect.stringContaining("the self-signed certificate is made at the first start"),
    });
    const db = openDatabase(config.terminal.dataDir, { logger: silentLogger() });
    const tls = await ensureTlsMaterial(config);
    expect(consoleCheck.run(deps, state)).toMatchObject({
      status: "warn",
      finding: expect.stringContaining(`certificate SHA-256 ${tls.fingerprint}`),
      fix: expect.stringContaining("timeclock console password"),
    });
    await setConsolePassword(
      { db, clock: systemClock, config, daemon: READ_ONLY_LINK, actor: "t" },
      "a good long password",
    );
    db.close();
    expect(consoleCheck.run(deps, state)).toMatchObject({
      status: "ok",
      finding: expect.stringMatching(
        /^https on 0\.0\.0\.0 port 8443; certificate SHA-256 [0-9A-F:]{95} \(self-signed, valid until \d{4}-\d{2}-\d{2}\)$/,
      ),
    });
  });

  it("fails a configured certificate it cannot read", () => {
    const { state, deps } = setup({
      enabled: true,
      certFile: "/nonexistent/cert.pem",
      keyFile: "/nonexistent/key.pem",
    });
    expect(consoleCheck.run(deps, state)).toMatchObject({
      status: "fail",
      finding: expect.stringContaining("/nonexistent/cert.pem cannot be read (ENOENT)"),
    });
  });
});
