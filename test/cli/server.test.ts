import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import {
  SEED_ADMIN,
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { closedPort } from "../helpers/net.js";

function writeConfig(baseUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), "timeclock-server-cli-"));
  const path = join(dir, "config.json");
  const config = {
    terminal: { timeZone: "Europe/Berlin" },
    server: { loginEmail: SEED_ADMIN.loginEmail, baseUrl },
    entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
  };
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  return path;
}

describe("timeclock server", () => {
  let sim: Simulator;
  let config: string;
  const env = { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };
  const cli = (...argv: string[]) => runCaptured(["--config", config, "server", ...argv], { env });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    config = writeConfig(sim.url);
  });
  afterAll(() => sim.close());

  it("lists the account's users", async () => {
    const result = await cli("users");
    expect(result).toMatchObject({ code: ExitCode.ok, stderr: "" });
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toBe("loginEmail");
    expect(lines.slice(1).sort()).toEqual(Object.values(SEED_USERS).sort());
  });

  it("prints time types and a user's projects as JSON", async () => {
    const types = await cli("timetypes", "--json");
    expect(JSON.parse(types.stdout)).toContainEqual(SEED_TIME_TYPES.workingHours);
    const projects = await cli("projects", SEED_USERS.anna, "--json");
    expect(JSON.parse(projects.stdout)).toEqual([
      { id: SEED_PROJECTS.warehouse.id, name: SEED_PROJECTS.warehouse.name },
    ]);
  });

  it("says hello and checks the login", async () => {
    expect((await cli("hello")).stdout).toBe(`${sim.url} answers Hello!\n`);
    expect((await cli("check")).stdout).toBe(
      `logged in to ${sim.url} as ${SEED_ADMIN.loginEmail}; securedSayhello answers Secured Hello!\n`,
    );
  });

  it("creates, lists in local time, refuses an overlap and deletes an entry", async () => {
    const project = SEED_PROJECTS.warehouse.id;
    const created = await cli(
      ...["create", "--user", SEED_USERS.deniz, "--project", project, "--json"],
      ...["--start", "2026-03-29T07:59", "--end", "2026-03-29T16:00:00+02:00"],
    );
    expect(created.code).toBe(ExitCode.ok);
    const { id } = JSON.parse(created.stdout) as { id: string };
    expect(sim.state.entries().find((e) => e.id === id)).toMatchObject({
      start: new Date("2026-03-29T05:59:00Z"),
      end: new Date("2026-03-29T14:00:00Z"),
      timeTypeId: SEED_TIME_TYPES.workingHours.id,
    });

    const listed = await cli(
      ...["entries", SEED_USERS.deniz, "--from", "2026-03-29", "--to", "2026-03-30"],
    );
    expect(listed.stdout).toContain(
      `${id}  ${SEED_USERS.deniz}  2026-03-29 07:59 +02:00  2026-03-29 16:00 +02:00`,
    );

    const overlap = await cli(
      ...["create", "--user", SEED_USERS.deniz, "--project", project],
      ...["--start", "2026-03-29T08:00", "--end", "2026-03-29T09:00"],
    );
    expect(overlap.code).toBe(ExitCode.refused);
    expect(overlap.stderr).toMatch(
      /^timeclock: GoodTime refused POST \S*createtimeentry \(409\): .*overlapping/,
    );

    expect((await cli("delete", id)).stdout).toBe(`deleted entry ${id}\n`);
    expect(sim.state.entries().find((e) => e.id === id)).toBeUndefined();
    expect((await cli("delete", id)).code).toBe(ExitCode.refused);
  });

  it("refuses a bad date as a usage error naming the option and the value", async () => {
    const requestsBefore = sim.state.requests().length;
    const result = await cli(
      ...["entries", SEED_USERS.anna, "--from", "29.03.2026", "--to", "2026-03-30"],
    );
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain('--from "29.03.2026" is not a date or time');
    expect(sim.state.requests()).toHaveLength(requestsBefore);
  });

  it("exits 77 with a clear message and no password when the password is wrong", async () => {
    const wrong = "not-the-Password-42";
    const result = await runCaptured(["--config", config, "server", "users"], {
      env: { TIMECLOCK_API_PASSWORD: wrong },
    });
    expect(result.code).toBe(ExitCode.auth);
    expect(result.stderr).toContain(`GoodTime refused the login of ${SEED_ADMIN.loginEmail} (401`);
    expect(result.stderr).toContain("Check the API password");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr + result.stdout).not.toContain(wrong);
  });

  it("exits 78 when no password is configured", async () => {
    const result = await runCaptured(["--config", config, "server", "users"]);
    expect(result.code).toBe(ExitCode.config);
    expect(result.stderr).toContain("no API password");
  });

  it("exits 69 when the server cannot be reached", async () => {
    const unreachable = writeConfig(`http://127.0.0.1:${await closedPort()}/goodtime-rs`);
    const result = await runCaptured(["--config", unreachable, "server", "hello"], { env });
    expect(result.code).toBe(ExitCode.network);
    expect(result.stderr).toContain("ECONNREFUSED");
  });

  it.each(["hello", "check", "users", "timetypes", "projects", "entries", "create", "delete"])(
    "has help for %s",
    async (name) => {
      const result = await cli(name, "--help");
      expect(result.code).toBe(ExitCode.ok);
      expect(result.stdout).toContain(`Usage: timeclock server ${name}`);
    },
  );
});
