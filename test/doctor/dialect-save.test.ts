import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import type { CheckResult } from "../../src/doctor/types.js";
import { SEED_ADMIN, SEED_TIME_TYPES } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { type ConfigJson, doctor, PASSWORD_ENV, type Site, site } from "./site.js";

/**
 * API dialects found, not guessed: a simulator that takes only `timetypeid` in v1.1 and instants
 * as epoch milliseconds stands in for an account whose dialect nobody documented.
 */

const UNDOCUMENTED = { v11TimeTypeField: "timetypeid", timeFormat: "epoch-ms" } as const;

/** The site's config rewritten the way an admin keeps it by hand, with one object on one line. */
function handWritten(s: Site, server: Record<string, unknown>): string {
  const config = JSON.parse(readFileSync(s.configPath, "utf8")) as ConfigJson;
  const text = [
    "{",
    `  "terminal": ${JSON.stringify(config.terminal)},`,
    '  "server": {',
    `    "baseUrl": ${JSON.stringify(config.server.baseUrl)},`,
    ...Object.entries(server).map(([key, value]) => `    "${key}": ${JSON.stringify(value)},`),
    `    "loginEmail": ${JSON.stringify(SEED_ADMIN.loginEmail)},`,
    '    "timeoutMs": 2000',
    "  },",
    `  "reader": ${JSON.stringify(config.reader)},`,
    `  "entry": { "timeTypeId": ${JSON.stringify(SEED_TIME_TYPES.workingHours.id)} }`,
    "}",
    "",
  ].join("\n");
  writeFileSync(s.configPath, text);
  return text;
}

function backupsOf(configPath: string): string[] {
  const name = configPath.split("/").at(-1) ?? "";
  return readdirSync(dirname(configPath)).filter(
    (file) => file.startsWith(`${name}.`) && file.endsWith(".bak"),
  );
}

describe("doctor --write-test finds the API dialect the server takes", () => {
  it("tries the candidates, names the one the server took, and leaves no test entry behind", async () => {
    const s = await site({ sim: UNDOCUMENTED });
    handWritten(s, { apiVersion: "v1.1" });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(2);
    expect(run.byName["write test"]).toMatchObject({
      status: "fail",
      finding: expect.stringMatching(
        /^the server took server.timeFormat "epoch-ms" with server.timeTypeField "timetypeid", not the configured server.timeFormat "iso-offset" with server.timeTypeField "timecategoryid": booked 2026-10-23 03:00 \+02:00 to 2026-10-23 03:05 \+02:00 for admin@gtsandbox.en and read it back unchanged; test entry \S+ deleted$/,
      ),
      fix: `set "timeFormat": "epoch-ms", "timeTypeField": "timetypeid" in the "server" section of ${s.configPath}, or run timeclock doctor --write-test --save to write it there`,
    });
    expect(s.sim.state.entries()).toEqual([]);
    expect(s.sim.state.counters).toMatchObject({ entriesCreated: 1, entriesDeleted: 1 });
    expect(backupsOf(s.configPath)).toEqual([]);
  });

  it("writes it into the config with --save, keeping the file's layout and a dated copy of the old one", async () => {
    const s = await site({ sim: UNDOCUMENTED });
    const before = handWritten(s, { apiVersion: "v1.1" });
    chmodSync(s.configPath, 0o640);
    const saved = await doctor(s, ["--write-test", "--save"]);
    expect(saved.byName["write test"]).toMatchObject({
      status: "warn",
      finding: expect.stringContaining(
        `saved server.timeFormat and server.timeTypeField to ${s.configPath} (the old file is kept as ${s.configPath}.20261127T100000Z.bak)`,
      ),
      fix: "restart the service so that it books with the saved setting: sudo systemctl restart timeclock",
    });
    expect(readFileSync(`${s.configPath}.20261127T100000Z.bak`, "utf8")).toBe(before);
    expect(readFileSync(s.configPath, "utf8")).toBe(
      before.replace(
        '    "timeoutMs": 2000\n',
        '    "timeoutMs": 2000,\n    "timeFormat": "epoch-ms",\n    "timeTypeField": "timetypeid"\n',
      ),
    );
    expect(statSync(s.configPath).mode & 0o777).toBe(0o640);
    expect(statSync(`${s.configPath}.20261127T100000Z.bak`).mode & 0o777).toBe(0o640);

    const again = await doctor(s, ["--write-test", "--save"]);
    expect(again.code).toBe(ExitCode.ok);
    expect(again.byName["write test"]).toMatchObject({
      status: "ok",
      finding: expect.stringMatching(
        /^the server took server.timeFormat "epoch-ms" with server.timeTypeField "timetypeid": .*; .*config.json already says so$/,
      ),
    });
    expect(s.sim.state.entries()).toEqual([]);
    expect(s.sim.state.counters).toMatchObject({ entriesCreated: 2, entriesDeleted: 2 });
    expect(backupsOf(s.configPath)).toHaveLength(1);
  });

  it("prints the exact keys to add when the config file cannot be written by the user running it", async () => {
    const s = await site({ sim: UNDOCUMENTED });
    const locked = join(s.dir, "etc");
    mkdirSync(locked);
    const configPath = join(locked, "config.json");
    const text = handWritten(s, { apiVersion: "v1.1" });
    writeFileSync(configPath, text, { mode: 0o644 });
    chmodSync(s.dir, 0o755);
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(locked, 0o555);
    // Root may write anywhere, so the doctor then runs as nobody, who may read the file but not
    // write it. The simulator answers from this process, so the child is awaited, never waited on.
    const child = spawn(
      process.execPath,
      [
        resolve("dist/cli/main.js"),
        ...["--config", configPath, "doctor", "--json", "--write-test", "--save"],
      ],
      {
        env: { ...process.env, ...PASSWORD_ENV },
        stdio: ["ignore", "pipe", "pipe"],
        ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      },
    );
    const out: string[] = [];
    child.stdout?.on("data", (chunk) => out.push(String(chunk)));
    await new Promise((done) => child.once("close", done));
    chmodSync(locked, 0o755);
    const results = JSON.parse(out.join("")) as CheckResult[];
    expect(results.find((result) => result.check === "write test")).toEqual({
      check: "write test",
      status: "fail",
      finding: expect.stringContaining(
        `; but ${configPath} cannot be written by this user (EACCES`,
      ),
      fix: `add "timeFormat": "epoch-ms", "timeTypeField": "timetypeid" to the "server" section of ${configPath} (for example with sudoedit), then restart the service`,
    });
    expect(readFileSync(configPath, "utf8")).toBe(text);
    expect(backupsOf(configPath)).toEqual([]);
    expect(s.sim.state.entries()).toEqual([]);
  });

  it("refuses --save without --write-test as a usage error", async () => {
    const s = await site();
    const result = await runCaptured(["--config", s.configPath, "doctor", "--save"], {
      env: PASSWORD_ENV,
    });
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain("--save needs --write-test");
  });
});
