import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { FakeClock } from "../../src/core/clock.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { silentLogger } from "../../src/core/logger.js";
import type { CheckResult } from "../../src/doctor/types.js";
import { TEST_COMMENT } from "../../src/doctor/write-test.js";
import {
  SEED_ADMIN,
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { openFreePty } from "../doctor/free-pty.js";
import { tempDir } from "../helpers/temp.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = new Date("2026-11-27T10:00:00Z");
const PASSWORD_ENV = { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };

interface Site {
  dir: string;
  configPath: string;
  sim: Awaited<ReturnType<typeof startSimulator>>;
  devicePath: string;
  ptsPath: string;
}

async function site(
  options: { sim?: SimulatorOptions; server?: object; reader?: object } = {},
): Promise<Site> {
  const dir = tempDir("timeclock-doctor-");
  const sim = await startSimulator(options.sim ?? {});
  cleanups.push(() => sim.close());
  const pty = await openFreePty(dir);
  cleanups.push(() => pty.close());
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger() });
  new BadgeRepository(db, new FakeClock(NOW)).putAll([
    { badgeId: "0F00A1B2C3", knownBits: 40, email: SEED_USERS.anna },
    {
      badgeId: "0F00A1B2C4",
      knownBits: 40,
      email: SEED_USERS.ben,
      timeTypeId: SEED_TIME_TYPES.travel.id,
      projectId: SEED_PROJECTS.workshop.id,
    },
  ]);
  db.close();
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: { timeZone: "Europe/Berlin", dataDir, clockTrust: "system" },
      server: {
        baseUrl: sim.url,
        loginEmail: SEED_ADMIN.loginEmail,
        timeoutMs: 2000,
        ...options.server,
      },
      reader: { type: "serial", path: pty.devicePath, ...options.reader },
      entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
    }),
  );
  chmodSync(configPath, 0o600);
  return { dir, configPath, sim, devicePath: pty.devicePath, ptsPath: pty.ptsPath };
}

interface ConfigJson {
  terminal: Record<string, unknown>;
  server: Record<string, unknown>;
  [section: string]: unknown;
}

function editConfig(s: Site, edit: (config: ConfigJson) => void) {
  const config = JSON.parse(readFileSync(s.configPath, "utf8")) as ConfigJson;
  edit(config);
  writeFileSync(s.configPath, JSON.stringify(config));
}

async function doctor(s: Site, args: string[] = [], env: NodeJS.ProcessEnv = PASSWORD_ENV) {
  const chunks = { out: [] as string[], err: [] as string[] };
  const stdout = new PassThrough().on("data", (c) => chunks.out.push(String(c)));
  const stderr = new PassThrough().on("data", (c) => chunks.err.push(String(c)));
  const code = await runCli(["--config", s.configPath, "doctor", "--json", ...args], {
    env,
    stdout,
    stderr,
    clock: new FakeClock(NOW),
  } as Parameters<typeof runCli>[1]);
  const results = JSON.parse(chunks.out.join("")) as CheckResult[];
  const byName = Object.fromEntries(results.map((result) => [result.check, result]));
  return { code, results, byName, stderr: chunks.err.join("") };
}

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
      ["server reachable", "ok"],
      ["credentials", "ok"],
      ["time types and projects", "ok"],
      ["badge users", "ok"],
    ]);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.byName.configuration?.finding).toContain("environment TIMECLOCK_API_PASSWORD");
    expect(run.byName["reader device"]?.finding).toBe(
      `serial device ${s.devicePath} (resolves to ${s.ptsPath}) is present and usable by this user`,
    );
    expect(run.byName["badge users"]?.finding).toBe("all 2 mapped badges belong to GoodTime users");
    expect(JSON.stringify(run.results)).not.toContain(SEED_ADMIN.apiPassword);
  });

  it("prints a readable report with a fix under each failure and exits 1", async () => {
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
    expect(code).toBe(1);
    const lines = text.join("").split("\n");
    const failure = lines.findIndex((line) => line.startsWith("fail  reader device"));
    expect(lines[failure]).toContain(
      "serial device /dev/timeclock-no-such-reader (reader.path) does not exist",
    );
    expect(lines[failure + 1]).toMatch(/^\s+fix: plug the reader in or correct reader.path/);
    expect(lines.at(-2)).toBe("8 ok, 0 warn, 1 fail, 0 skipped");
  });

  it("fails the credentials with a fix naming the password source, and skips what needs a login", async () => {
    const s = await site();
    const run = await doctor(s, [], { TIMECLOCK_API_PASSWORD: "wrong-password" });
    expect(run.code).toBe(1);
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
    expect(run.code).toBe(1);
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
    expect(run.code).toBe(ExitCode.ok);
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
    expect(run.code).toBe(1);
    expect(run.byName.configuration?.finding).toMatch(
      /^config \S+ has 2 problems: .*terminal\.timeZone.*Europe\/Atlantis.*; .*entry\.timeTypeId/,
    );
    expect(run.results.slice(1).every((r) => r.status === "skip")).toBe(true);
  });

  it("books, verifies and deletes a test entry with --write-test, leaving nothing behind", async () => {
    const s = await site();
    const before = s.sim.state.entries();
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(ExitCode.ok);
    const written = run.byName["write test"];
    expect(written?.status).toBe("ok");
    expect(written?.finding).toMatch(
      /^booked 2026-10-23 03:00 \+02:00 to 2026-10-23 03:05 \+02:00 for admin@gtsandbox\.en and read it back unchanged; test entry \S+ deleted$/,
    );
    expect(s.sim.state.entries()).toEqual(before);
    expect(s.sim.state.counters).toMatchObject({ entriesCreated: 1, entriesDeleted: 1 });
  });

  it("reports the id of a test entry it could not delete, which is the entry it booked", async () => {
    const s = await site();
    s.sim.faults.failNext(1, 503, { path: /deletetimeentry/ });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(1);
    const [left] = s.sim.state.entries();
    expect(left).toMatchObject({
      userEmail: SEED_ADMIN.loginEmail,
      start: new Date("2026-10-23T01:00:00Z"),
      end: new Date("2026-10-23T01:05:00Z"),
      timeTypeId: SEED_TIME_TYPES.workingHours.id,
      projectId: null,
      comment: TEST_COMMENT,
    });
    expect(run.byName["write test"]).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(`deleting the test entry ${left?.id} failed`),
      fix: `delete it by hand: timeclock server delete ${left?.id}`,
    });
  });

  it("picks a free slot around the admin's own entries", async () => {
    const s = await site();
    const create = (start: string, end: string) =>
      runCli(
        [
          ...["--config", s.configPath, "server", "create", "--user", SEED_ADMIN.loginEmail],
          ...["--start", start, "--end", end],
        ],
        { env: PASSWORD_ENV, stdout: new PassThrough(), stderr: new PassThrough() },
      );
    expect(await create("2026-10-23T02:00", "2026-10-23T03:07")).toBe(ExitCode.ok);
    const before = s.sim.state.entries();
    const run = await doctor(s, ["--write-test"]);
    expect(run.byName["write test"]?.finding).toMatch(
      /^booked 2026-10-23 03:10 \+02:00 to 2026-10-23 03:15/,
    );
    expect(s.sim.state.entries()).toEqual(before);
  });

  it("fails the write test when the server reads times in another format, and books nothing", async () => {
    const s = await site({ sim: { timeFormat: "iso-local", timeZone: "America/New_York" } });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(1);
    expect(run.byName["write test"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining('server.timeFormat ("iso-offset")'),
    });
    expect(s.sim.state.entries()).toEqual([]);
  });

  it("warns that a local time format cannot prove the zone, even when both sides agree", async () => {
    const s = await site({
      sim: { timeFormat: "iso-local", timeZone: "America/New_York" },
      server: { timeFormat: "iso-local" },
    });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.byName["write test"]).toMatchObject({
      status: "warn",
      finding: expect.stringContaining(
        "carries no offset, so a server reading it in another zone than Europe/Berlin would pass",
      ),
    });
    expect(s.sim.state.entries()).toEqual([]);
  });
});
