import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import {
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { harness, badgeListJson as listJson, withoutNote } from "../admin/cli-harness.js";
import { closedPort } from "../helpers/net.js";

const ANNA = "anna@example.com";

describe("timeclock badges --check against GoodTime", () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it("saves a mapping whose user, time type and project the server knows", async () => {
    const h = harness({ baseUrl: sim.url });
    const result = await h.cli(
      "badges",
      "add",
      "0F00A1B2C3",
      SEED_USERS.anna.toUpperCase(),
      "--check",
      "--time-type",
      SEED_TIME_TYPES.travel.id,
      "--project",
      SEED_PROJECTS.warehouse.id,
    );
    expect(result.code).toBe(0);
    expect(withoutNote(result.stderr)).toBe("");
    expect(await listJson(h)).toMatchObject([{ email: SEED_USERS.anna }]);
  });

  it.each([
    [["nobody@gtsandbox.en"], 'email "nobody@gtsandbox.en" is not a user of the GoodTime account'],
    [
      [SEED_USERS.ben, "--time-type", "tt-x"],
      'time type "tt-x" does not exist on the server; known: 56941eee',
    ],
    [[SEED_USERS.ben, "--project", "p-x"], 'project "p-x" does not exist on the server'],
  ])("refuses %j as bad input and saves nothing", async (argv, message) => {
    const h = harness({ baseUrl: sim.url });
    const result = await h.cli("badges", "add", "0F00A1B2C3", ...argv, "--check");
    expect(result.code).toBe(ExitCode.badInput);
    expect(result.stderr).toContain(message);
    expect(await listJson(h)).toEqual([]);
  });

  it("reports each line the server refutes on import", async () => {
    const h = harness({ baseUrl: sim.url });
    const file = join(h.dir, "badges.csv");
    writeFileSync(
      file,
      `badge,email,name,timeTypeId,projectId\n0F00A1B2C3,${SEED_USERS.anna},,,\n0F00A1B2C4,ghost@gtsandbox.en,,,\n`,
    );
    const result = await h.cli("badges", "import", "--check", file);
    expect(result.code).toBe(ExitCode.badInput);
    expect(result.stderr).toContain('line 3: email "ghost@gtsandbox.en" is not a user');
    expect(await listJson(h)).toEqual([]);
  });

  it("warns and still saves when the server cannot be reached", async () => {
    const h = harness({ baseUrl: `http://127.0.0.1:${await closedPort()}/goodtime-rs` });
    const result = await h.cli("badges", "add", "0F00A1B2C3", ANNA, "--check");
    expect(result.code).toBe(0);
    expect(withoutNote(result.stderr)).toMatch(
      /^warning: could not check against GoodTime at http:\/\/127\.0\.0\.1:\d+\/goodtime-rs: .*GT_NETWORK.*saving without the check\n$/,
    );
    expect(await listJson(h)).toMatchObject([{ email: ANNA }]);
  });

  it("warns and still saves when the login is refused, without printing the password", async () => {
    const h = harness({ baseUrl: sim.url, password: "wrong-secret-pw" });
    const result = await h.cli("badges", "add", "0F00A1B2C3", ANNA, "--check");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("GT_LOGIN_REJECTED");
    expect(result.stderr).not.toContain("wrong-secret-pw");
    expect(await listJson(h)).toHaveLength(1);
  });
});
