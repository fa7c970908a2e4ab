import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  SEED_ADMIN,
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
} from "../../src/simulator/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { NOW } from "../doctor/helpers.js";
import { doctor, editConfig, PASSWORD_ENV, site } from "../doctor/site.js";
import { FakeClock } from "../fakes/clock.js";

describe("timeclock doctor against a simulator on loopback", () => {
  it("finds everything ok on a well set up terminal", async () => {
    const s = await site();
    const run = await doctor(s);
    expect(run.results.map((r) => [r.check, r.status])).toEqual([
      ["configuration", "ok"],
      ["data directory and database", "ok"],
      ["reader device", "ok"],
      ["GPIO lines", "ok"],
      ["clock", "ok"],
      ["web console", "ok"],
      ["site database", "ok"],
      ["server reachable", "ok"],
      ["credentials", "ok"],
      ["time types and projects", "ok"],
      ["badge users", "ok"],
    ]);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.byName.configuration?.finding).toContain("environment TIMECLOCK_API_PASSWORD");
    expect(run.byName["site database"]?.finding).toBe(
      "off: no site section, this terminal runs alone on SQLite",
    );
    expect(run.byName["reader device"]?.finding).toBe(
      `serial device ${s.devicePath} (resolves to ${s.ptsPath}) is present and usable by this user`,
    );
    expect(run.byName["badge users"]?.finding).toBe("all 2 mapped badges belong to GoodTime users");
    expect(JSON.stringify(run.results)).not.toContain(SEED_ADMIN.apiPassword);
  });

  it("prints a readable report with a fix under each failure and exits 2", async () => {
    const s = await site({ reader: { path: "/dev/timeclock-no-such-reader" } });
    const stdout = new PassThrough();
    const text: string[] = [];
    stdout.on("data", (c) => text.push(String(c)));
    const stderr = new PassThrough();
    const code = await runCli(["--config", s.configPath, "doctor"], {
      env: PASSWORD_ENV,
      stdout,
      stderr,
    });
    expect(code).toBe(ExitCode.critical);
    const lines = text.join("").split("\n");
    const failure = lines.findIndex((line) => line.startsWith("fail  reader device"));
    expect(lines[failure]).toContain(
      "serial device /dev/timeclock-no-such-reader (reader.path) does not exist",
    );
    expect(lines[failure + 1]).toMatch(/^\s+fix: plug the reader in or correct reader.path/);
    expect(lines.at(-2)).toBe("10 ok, 0 warn, 1 fail, 0 skipped");
  });

  it("fails the credentials with a fix naming the password source, and skips what needs a login", async () => {
    const s = await site();
    const run = await doctor(s, [], { TIMECLOCK_API_PASSWORD: "wrong-password" });
    expect(run.code).toBe(ExitCode.critical);
    expect(run.byName["server reachable"]?.status).toBe("ok");
    expect(run.byName.credentials).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(`server.loginEmail ${SEED_ADMIN.loginEmail}`),
      fix: expect.stringContaining("the environment variable TIMECLOCK_API_PASSWORD"),
    });
    expect(run.byName["time types and projects"]?.status).toBe("skip");
    expect(run.byName["badge users"]).toEqual({
      check: "badge users",
      status: "skip",
      finding: "skipped: the login failed",
    });
    expect(JSON.stringify(run.results)).not.toContain("wrong-password");
  });

  it("names the password file as the source when that is where the password comes from", async () => {
    const s = await site();
    const file = join(s.dir, "apipassword");
    writeFileSync(file, "not-it\n", { mode: 0o600 });
    const config = JSON.parse((await import("node:fs")).readFileSync(s.configPath, "utf8")) as {
      server: Record<string, unknown>;
    };
    config.server.apiPasswordFile = file;
    writeFileSync(s.configPath, JSON.stringify(config));
    const run = await doctor(s, [], {});
    expect(run.byName.credentials?.fix).toContain(`server.apiPasswordFile (${file})`);
  });

  it("lists badges whose email is not a GoodTime user", async () => {
    const s = await site();
    const db = openDatabase(join(s.dir, "data"), { logger: silentLogger() });
    new BadgeRepository(db, new FakeClock(NOW)).put({
      badgeId: "0A0B0C0D0E",
      knownBits: 40,
      email: "left.company@gtsandbox.en",
    });
    db.close();
    const run = await doctor(s);
    expect(run.code).toBe(ExitCode.critical);
    expect(run.byName["badge users"]).toMatchObject({
      status: "fail",
      finding:
        "1 of 3 mapped badges name an email that is not a GoodTime user: badge 0A0B0C0D0E (left.company@gtsandbox.en)",
    });
  });

  it("fails time types and projects GoodTime does not know, or that the badge's user may not book", async () => {
    const s = await site();
    editConfig(s, (config) => {
      config.entry = { timeTypeId: "no-such-type", projectId: SEED_PROJECTS.customerSite.id };
    });
    const unknown = await doctor(s);
    expect(unknown.byName["time types and projects"]).toMatchObject({
      status: "fail",
      finding: 'GoodTime does not know time type "no-such-type" of entry.timeTypeId',
      fix: expect.stringContaining("timeclock server timetypes"),
    });

    editConfig(s, (config) => {
      config.entry = {
        timeTypeId: SEED_TIME_TYPES.workingHours.id,
        projectId: SEED_PROJECTS.customerSite.id,
      };
    });
    const unassigned = await doctor(s);
    expect(unassigned.byName["time types and projects"]).toMatchObject({
      status: "fail",
      finding: `not assigned to the badge's user, so GoodTime would refuse the booking: project "${SEED_PROJECTS.customerSite.id}" of badge 0F00A1B2C3 (${SEED_USERS.anna})`,
    });

    editConfig(s, (config) => {
      config.entry = {
        timeTypeId: SEED_TIME_TYPES.workingHours.id,
        projectId: SEED_PROJECTS.warehouse.id,
      };
    });
    expect((await doctor(s)).byName["time types and projects"]).toEqual({
      check: "time types and projects",
      status: "ok",
      finding: `time type ${SEED_TIME_TYPES.workingHours.id} and project ${SEED_PROJECTS.warehouse.id} exist; 2 badge mapping(s) checked`,
    });
  });

  it("fails a missing serial device naming its path", async () => {
    const s = await site({ reader: { path: join("/dev", "timeclock-doctor-absent") } });
    const run = await doctor(s);
    expect(run.byName["reader device"]).toMatchObject({
      status: "fail",
      finding: "serial device /dev/timeclock-doctor-absent (reader.path) does not exist",
    });
  });

  it("fails a base URL without the API (404) and skips the server checks after it", async () => {
    const s = await site();
    const wrongUrl = s.sim.url.replace(/\/goodtime-rs$/, "/elsewhere");
    editConfig(s, (config) => {
      config.server.baseUrl = wrongUrl;
    });
    const run = await doctor(s);
    expect(run.byName["server reachable"]).toMatchObject({
      status: "fail",
      finding: `${wrongUrl} is reachable but has no GoodTime API there: GET /elsewhere/api/hello/sayhello answered 404`,
      fix: expect.stringContaining(`check server.baseUrl (${wrongUrl})`),
    });
    for (const later of ["credentials", "time types and projects", "badge users"]) {
      expect(run.byName[later]?.finding).toBe("skipped: the server is not reachable");
    }
  });

  it("fails an unreachable server and skips the checks that need it", async () => {
    const s = await site();
    await s.sim.close();
    const run = await doctor(s, ["--write-test"]);
    expect(run.byName["server reachable"]).toMatchObject({
      status: "fail",
      finding: expect.stringMatching(
        /^cannot reach GoodTime \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) for GET \/goodtime-rs\/api\/hello\/sayhello\..*\[GT_NETWORK\]$/,
      ),
    });
    expect(run.byName["write test"]?.status).toBe("skip");
    expect(run.results.filter((r) => r.status === "skip")).toHaveLength(4);
  });

  it("warns when the config holding the password is readable by every user", async () => {
    const s = await site();
    editConfig(s, (config) => {
      config.server.apiPassword = SEED_ADMIN.apiPassword;
    });
    chmodSync(s.configPath, 0o644);
    const run = await doctor(s, [], {});
    expect(run.code).toBe(ExitCode.warning);
    expect(run.byName.configuration).toEqual({
      check: "configuration",
      status: "warn",
      finding: `config ${s.configPath} is valid; the API password comes from server.apiPassword, but ${s.configPath} holding it is readable by every user`,
      fix: `run: chmod o-r ${s.configPath} (or move the password to the systemd credential apipassword)`,
    });
    expect(run.byName.credentials?.status).toBe("ok");
  });

  it("fails an invalid config listing its problems and skips everything else", async () => {
    const s = await site();
    editConfig(s, (config) => {
      config.terminal.timeZone = "Europe/Atlantis";
      config.entry = {};
    });
    const run = await doctor(s);
    expect(run.code).toBe(ExitCode.critical);
    expect(run.byName.configuration?.finding).toMatch(
      /^config \S+ has 2 problems: .*terminal\.timeZone.*Europe\/Atlantis.*; .*entry\.timeTypeId/,
    );
    expect(run.results.slice(1).every((r) => r.status === "skip")).toBe(true);
  });
});
