import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { type Api, api, errorOf, loginToken } from "./helpers.js";

const CREATE = "/api/time-v2.1/createtimeentry";
const booking = {
  starttime: "2026-07-01T08:00:00+02:00",
  endtime: "2026-07-01T16:00:00+02:00",
  useremail: SEED_USERS.anna,
  timetypeid: SEED_TIME_TYPES.workingHours.id,
};

describe("simulator control routes", () => {
  let simulator: Simulator;
  let client: Api;

  beforeEach(async () => {
    simulator = await startSimulator();
    client = api(simulator, await loginToken(simulator));
  });
  afterEach(() => simulator.close());

  const control = (body: unknown) =>
    fetch(`${simulator.url}/_sim/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const stateOf = async () =>
    (await (await fetch(`${simulator.url}/_sim/state`)).json()) as {
      users: unknown[];
      entries: Record<string, unknown>[];
      counters: Record<string, number>;
    };

  it("reports users, entries and counters without a token", async () => {
    await client.post(CREATE, booking);
    const state = await stateOf();
    expect(state.users).toHaveLength(6);
    expect(state.entries).toEqual([
      expect.objectContaining({
        userEmail: SEED_USERS.anna,
        start: "2026-07-01T06:00:00.000Z",
        end: "2026-07-01T14:00:00.000Z",
        locked: false,
      }),
    ]);
    expect(state.counters).toMatchObject({ logins: 1, entriesCreated: 1 });
  });

  it("arms failNext with Retry-After for API requests while control routes stay untouched", async () => {
    const armed = await control({
      failNext: { count: 1, status: 503, retryAfter: 1, path: "createtimeentry" },
    });
    expect(armed.status).toBe(200);
    expect((await fetch(`${simulator.url}/_sim/state`)).status).toBe(200);
    const failed = await client.post(CREATE, booking);
    expect([failed.status, failed.headers.get("retry-after")]).toEqual([503, "1"]);
    expect((await client.post(CREATE, booking)).status).toBe(200);
  });

  it("arms a drop matched by a regex, expires tokens and clears", async () => {
    await control({ dropNext: { count: 1, when: "after-commit", path: { regex: "create" } } });
    await expect(client.post(CREATE, booking)).rejects.toThrow("fetch failed");
    expect((await stateOf()).entries).toHaveLength(1);
    await control({ expireAllTokens: true, setLatency: 5 });
    expect((await client.get("/api/time-v2.1/users")).status).toBe(401);
    await control({ clear: true, failNext: { count: 1, status: 502 } });
    expect((await fetch(`${simulator.url}/api/hello/sayhello`)).status).toBe(502);
  });

  it("locks a period through the control route", async () => {
    await client.post(CREATE, booking);
    await control({ lockUntil: { userEmail: "*", until: "2026-08-01T00:00:00Z" } });
    expect((await stateOf()).entries[0]?.locked).toBe(true);
  });

  it.each([
    [{ failNext: { count: 1 } }, "failNext.status"],
    [{ failNext: { count: 1, status: 200 } }, "failNext.status"],
    [{ dropNext: { count: 1, when: "later" } }, "dropNext.when"],
    [{ explode: true }, "explode"],
    [{ dropNext: { count: 1, when: "after-commit", path: { regex: "(" } } }, "path.regex"],
    [
      { lockUntil: { userEmail: "zoe@x.example", until: "2026-01-01T00:00:00Z" } },
      '"zoe@x.example"',
    ],
  ])("refuses %j naming the field", async (body, field) => {
    const response = await control(body);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toContain(field);
  });

  it("answers unknown control paths with 404 and wrong methods with 405", async () => {
    expect((await fetch(`${simulator.url}/_sim/reset`)).status).toBe(404);
    expect((await fetch(`${simulator.url}/_sim/faults`)).status).toBe(405);
  });
});
