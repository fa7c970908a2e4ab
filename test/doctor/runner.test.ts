import { describe, expect, it } from "vitest";
import { CHECKS, doctorLevel, runDoctor } from "../../src/doctor/runner.js";
import type { Check, CheckResult } from "../../src/doctor/types.js";
import { depsWith, loadedWith } from "./helpers.js";

const reached: string[] = [];

function check(name: string, needs: Check["needs"], run: Check["run"]): Check {
  return {
    name,
    needs,
    run: (deps, state) => {
      reached.push(name);
      return run(deps, state);
    },
  };
}

const loadConfig = check("config", [], (_deps, state) => {
  state.loaded = loadedWith();
  return { status: "ok", finding: "loaded" };
});

describe("runDoctor", () => {
  it("skips checks whose prerequisites failed, and does not call them", async () => {
    reached.length = 0;
    const results = await runDoctor(depsWith(), [
      loadConfig,
      check("server", ["config"], () => ({ status: "fail", finding: "down", fix: "wait" })),
      check("login", ["config", "server"], () => ({ status: "ok", finding: "never" })),
      check("local", ["config"], () => ({ status: "warn", finding: "meh", fix: "tune" })),
    ]);
    expect(results).toEqual([
      { check: "config", status: "ok", finding: "loaded" },
      { check: "server", status: "fail", finding: "down", fix: "wait" },
      { check: "login", status: "skip", finding: "skipped: the server is not reachable" },
      { check: "local", status: "warn", finding: "meh", fix: "tune" },
    ]);
    expect(reached).toEqual(["config", "server", "local"]);
  });

  it("turns a check that throws into a failure and goes on", async () => {
    const results = await runDoctor(depsWith(), [
      check("broken", [], () => {
        throw new Error("boom");
      }),
      check("after", ["config"], () => ({ status: "ok", finding: "never" })),
    ]);
    expect(results[0]).toMatchObject({ status: "fail", finding: "the check itself failed: boom" });
    expect(results[1]).toMatchObject({
      status: "skip",
      finding: "skipped: the configuration could not be read",
    });
  });

  it("keeps every finding and fix on one line, as tools and servers may not", async () => {
    const [result] = await runDoctor(depsWith(), [
      check("multi", [], () => ({
        status: "warn",
        finding: "timedatectl failed:\nSystem has not been booted with systemd\n",
        fix: "enable NTP\n  or install chrony",
      })),
    ]);
    expect(result).toEqual({
      check: "multi",
      status: "warn",
      finding: "timedatectl failed: System has not been booted with systemd",
      fix: "enable NTP or install chrony",
    });
  });

  it("leaves out the write test unless asked for", () => {
    const writeTest = CHECKS.find((c) => c.name === "write test");
    expect(writeTest?.enabled?.(depsWith())).toBe(false);
    expect(writeTest?.enabled?.(depsWith({ writeTest: true }))).toBe(true);
    expect(CHECKS.map((c) => c.name)).toEqual([
      "configuration",
      "data directory and database",
      "reader device",
      "GPIO lines",
      "clock",
      "web console",
      "site database",
      "server reachable",
      "credentials",
      "time types and projects",
      "badge users",
      "write test",
    ]);
  });
});

describe("doctorLevel", () => {
  const result = (status: CheckResult["status"]): CheckResult => ({
    check: status,
    status,
    finding: "",
  });
  it.each([
    [["ok", "skip"], "ok"],
    [["ok", "warn", "skip"], "warning"],
    [["ok", "fail", "warn"], "critical"],
  ] as const)("%o is %s", (statuses, code) => {
    expect(doctorLevel(statuses.map(result))).toBe(code);
  });
});
