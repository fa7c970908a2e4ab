import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { api, errorOf, loginToken } from "./helpers.js";

const CREATE = "/api/time-v2.1/createtimeentry";

function entry(userEmail: string, day: number) {
  const dd = String(day).padStart(2, "0");
  return {
    starttime: `2026-06-${dd}T08:00:00+02:00`,
    endtime: `2026-06-${dd}T16:00:00+02:00`,
    useremail: userEmail,
    timetypeid: SEED_TIME_TYPES.workingHours.id,
  };
}

describe("simulator lifecycle", () => {
  const started: Simulator[] = [];
  async function start(options: SimulatorOptions = {}): Promise<Simulator> {
    const simulator = await startSimulator(options);
    started.push(simulator);
    return simulator;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  });

  it("keeps entries, locks and the password in the state file across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timeclock-sim-"));
    const stateFile = join(dir, "state.json");
    const first = await start({ stateFile });
    const client = api(first, await loginToken(first));
    expect((await client.post(CREATE, entry(SEED_USERS.anna, 1))).status).toBe(200);
    expect((await client.post(CREATE, entry(SEED_USERS.ben, 2))).status).toBe(200);
    first.state.lockUntil("*", "2026-06-02T00:00:00Z");
    first.faults.setApiPassword("changed-by-admin");
    await first.close();
    expect(readdirSync(dir)).toEqual(["state.json"]);

    const second = await start({ stateFile, seed: "empty" });
    expect(second.state.entries()).toEqual(first.state.entries());
    expect(second.state.entries().map((e) => e.locked)).toEqual([true, false]);
    expect(second.state.users()).toHaveLength(6);
    const oldPassword = await fetch(`${second.url}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ loginemail: SEED_ADMIN.loginEmail, apipassword: "12345678" }),
    });
    expect(oldPassword.status).toBe(401);
  });

  it("writes the state file at start, so a fresh file holds the seed", async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), "timeclock-sim-")), "state.json");
    await start({ stateFile, seed: "empty" });
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(saved).toMatchObject({ format: "timeclock-simulator-state", version: 1, entries: [] });
    expect(saved.userEmails).toEqual([SEED_ADMIN.loginEmail]);
  });

  it.each([
    ["{ not json", "cannot be read as JSON"],
    [JSON.stringify({ format: "something else" }), "is not a simulator state"],
  ])("refuses a damaged state file %j, naming it", async (content, message) => {
    const stateFile = join(mkdtempSync(join(tmpdir(), "timeclock-sim-")), "state.json");
    writeFileSync(stateFile, content);
    await expect(startSimulator({ stateFile })).rejects.toThrow(
      `simulator state file "${stateFile}" ${message}`,
    );
    expect(existsSync(stateFile)).toBe(true);
  });

  it("runs two independent simulators in one process", async () => {
    const [one, two] = [await start(), await start({ seed: "empty" })];
    expect(one.port).not.toBe(two.port);
    const clientOne = api(one, await loginToken(one));
    const clientTwo = api(two, await loginToken(two));
    one.faults.failNext(1, 500);
    expect((await clientTwo.get("/api/time-v2.1/users")).status).toBe(200);
    expect((await clientOne.post(CREATE, entry(SEED_USERS.anna, 3))).status).toBe(500);
    expect((await clientOne.post(CREATE, entry(SEED_USERS.anna, 3))).status).toBe(200);
    expect(one.state.entries()).toHaveLength(1);
    expect(two.state.entries()).toEqual([]);
    const refused = await clientTwo.post(CREATE, entry(SEED_USERS.anna, 3));
    expect(refused.status).toBe(422);
    expect(await errorOf(refused)).toContain("is not a user of this account");
  });

  it("books concurrent requests exactly once: distinct days all, one day once", async () => {
    const simulator = await start();
    const client = api(simulator, await loginToken(simulator));
    const distinct = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.post(CREATE, entry(SEED_USERS.clara, i + 1))),
    );
    expect(distinct.map((r) => r.status)).toEqual(Array(20).fill(200));
    const same = await Promise.all(
      Array.from({ length: 10 }, () => client.post(CREATE, entry(SEED_USERS.emil, 1))),
    );
    const statuses = same.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    expect(simulator.state.entries()).toHaveLength(21);
  });

  it("keeps a connection alive across requests", async () => {
    const simulator = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<boolean>((resolve, reject) => {
        const call = request(`${simulator.url}/api/hello/sayhello`, { agent }, (response) => {
          response.resume();
          response.on("end", () => resolve(call.reusedSocket));
        });
        call.on("error", reject);
        call.end();
      });
    expect(await get()).toBe(false);
    expect(await get()).toBe(true);
    agent.destroy();
  });
});

describe("simulator seeds and paths", () => {
  const started: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  });

  it("serves a custom seed under a custom base path, without locked where the feature is off", async () => {
    const simulator = await startSimulator({
      basePath: "/gt",
      seed: {
        admin: { loginEmail: "boss@example.com", apiPassword: "pw-1" },
        userEmails: ["worker@example.com"],
        timeTypes: [{ id: "tt-1", name: "shift" }],
        projects: [],
        lockableEntries: false,
      },
    });
    started.push(simulator);
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}/gt`);
    const login = await fetch(`${simulator.url}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ loginemail: "boss@example.com", apipassword: "pw-1" }),
    });
    const { token } = (await login.json()) as { token: string };
    const client = api(simulator, token);
    expect(await (await client.get("/api/time-v2.1/users")).json()).toEqual([
      { loginemail: "boss@example.com" },
      { loginemail: "worker@example.com" },
    ]);
    const created = await client.post(CREATE, {
      starttime: "2026-06-01T08:00:00Z",
      endtime: "2026-06-01T09:00:00Z",
      useremail: "worker@example.com",
      timetypeid: "tt-1",
    });
    expect(created.status).toBe(200);
    const listed = await client.get(
      "/api/time-v2.1/timeentries?useremail=worker@example.com&start=2026-06-01T00:00:00Z&end=2026-06-02T00:00:00Z",
    );
    const [listedEntry] = (await listed.json()) as Record<string, unknown>[];
    expect(Object.keys(listedEntry ?? {})).not.toContain("locked");
    expect(() => simulator.state.lockUntil("*", "2026-07-01T00:00:00Z")).toThrow(
      "does not have lockable time entries",
    );
    expect((await fetch(simulator.url.replace("/gt", "/goodtime-rs/api/login"))).status).toBe(404);
  });

  it("logs each API request with method, path below the base path, status and time", async () => {
    const simulator = await startSimulator({ now: () => new Date("2026-06-01T12:00:00Z") });
    started.push(simulator);
    await fetch(`${simulator.url}/api/hello/sayhello?x=1`);
    await fetch(`${simulator.url}/api/time-v2.1/users`);
    await fetch(`${simulator.url}/_sim/state`);
    expect(simulator.state.requests()).toEqual([
      {
        method: "GET",
        path: "/api/hello/sayhello",
        status: 200,
        time: new Date("2026-06-01T12:00:00Z"),
      },
      {
        method: "GET",
        path: "/api/time-v2.1/users",
        status: 401,
        time: new Date("2026-06-01T12:00:00Z"),
      },
    ]);
    expect(simulator.state.counters).toMatchObject({ requests: 2, authFailures: 1 });
  });

  it("refuses a request body over 64 KiB with 413", async () => {
    const simulator = await startSimulator();
    started.push(simulator);
    const response = await fetch(`${simulator.url}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ loginemail: "x".repeat(70_000) }),
    });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toContain("request body is over 65536 bytes");
  });
});
