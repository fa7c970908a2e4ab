import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GoodTimeClient } from "../../src/goodtime/client.js";
import { GoodTimeError } from "../../src/goodtime/errors.js";
import {
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { clientFor, failureOf } from "./support.js";

const WORKING = SEED_TIME_TYPES.workingHours.id;
const WAREHOUSE = SEED_PROJECTS.warehouse.id;

describe.each(["v2.1", "v1.1"] as const)("every endpoint with API %s", (apiVersion) => {
  let sim: Simulator;
  let client: GoodTimeClient;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0, seed: "company" });
    client = clientFor(sim.url, { apiVersion });
  });
  afterEach(async () => {
    client.close();
    await sim.close();
  });

  it("says hello without a login and securedHello after one", async () => {
    expect(await client.hello()).toBe("Hello!");
    expect(sim.state.requests().map((r) => r.path)).toEqual(["/api/hello/sayhello"]);
    expect(await client.securedHello()).toBe("Secured Hello!");
    expect(sim.state.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /api/hello/sayhello 200",
      "POST /api/login 200",
      "GET /api/hello/securedSayhello 200",
    ]);
  });

  it("lists users, time types and projects as the account holds them", async () => {
    expect(await client.users()).toEqual(sim.state.users());
    expect(await client.users()).toContainEqual({ loginEmail: SEED_USERS.anna });
    expect(await client.timeTypes()).toEqual(
      sim.state.timeTypes().map(({ id, name }) => ({ id, name })),
    );
    expect(await client.timeTypes()).toContainEqual(SEED_TIME_TYPES.workingHours);
    const projects = await client.projects();
    expect(projects.map((p) => p.id).sort()).toEqual(
      Object.values(SEED_PROJECTS)
        .map((p) => p.id)
        .sort(),
    );
    expect(await client.projects(SEED_USERS.emil)).toEqual([
      { id: SEED_PROJECTS.customerSite.id, name: SEED_PROJECTS.customerSite.name },
    ]);
    const timeTypePath =
      apiVersion === "v2.1" ? "/api/time-v2.1/timetypes" : "/api/time/timecategories";
    expect(sim.state.requests().map((r) => r.path)).toContain(timeTypePath);
  });

  it("names an unknown user's projects as not found", async () => {
    const error = await failureOf(client.projects("nobody@gtsandbox.en"));
    expect(error).toMatchObject({ kind: "refused", code: "GT_NOT_FOUND", status: 404 });
  });

  it("creates an entry, reads it back in whole minutes and deletes it", async () => {
    const start = new Date("2026-03-29T05:59:30Z");
    const end = new Date("2026-03-29T14:02:10Z");
    const { id } = await client.createTimeEntry({
      userEmail: SEED_USERS.anna,
      start,
      end,
      timeTypeId: WORKING,
      projectId: WAREHOUSE,
      comment: "front-door",
    });
    expect(sim.state.entries().map((e) => e.id)).toEqual([id]);

    const entries = await client.timeEntries({
      userEmail: SEED_USERS.anna,
      from: new Date("2026-03-29T00:00:00Z"),
      to: new Date("2026-03-30T00:00:00Z"),
    });
    const common = {
      id,
      start: new Date("2026-03-29T05:59:00Z"),
      end: new Date("2026-03-29T14:02:00Z"),
      userEmail: SEED_USERS.anna,
      timeTypeId: WORKING,
      projectId: WAREHOUSE,
    };
    expect(entries).toEqual([
      apiVersion === "v2.1" ? { ...common, comment: "front-door", locked: false } : common,
    ]);
    expect(sim.state.entries()[0]?.comment).toBe(apiVersion === "v2.1" ? "front-door" : null);

    await client.deleteTimeEntry(id);
    expect(sim.state.entries()).toEqual([]);
    const again = await failureOf(client.deleteTimeEntry(id));
    expect(again).toMatchObject({ kind: "refused", code: "GT_NOT_FOUND" });
  });

  it("books an entry without a project", async () => {
    await client.createTimeEntry({
      userEmail: SEED_USERS.clara,
      start: new Date("2026-06-01T06:00:00Z"),
      end: new Date("2026-06-01T10:00:00Z"),
      timeTypeId: WORKING,
      projectId: null,
    });
    expect(sim.state.entries()[0]?.projectId).toBeNull();
  });

  it("lists only entries that start in [from, to)", async () => {
    const book = (startIso: string, endIso: string) =>
      client.createTimeEntry({
        userEmail: SEED_USERS.ben,
        start: new Date(startIso),
        end: new Date(endIso),
        timeTypeId: WORKING,
        projectId: null,
      });
    await book("2026-03-28T22:00:00Z", "2026-03-28T23:30:00Z");
    const inside = await book("2026-03-29T06:00:00Z", "2026-03-29T07:00:00Z");
    const entries = await client.timeEntries({
      userEmail: SEED_USERS.ben,
      from: new Date("2026-03-28T23:00:00Z"),
      to: new Date("2026-03-29T23:00:00Z"),
    });
    expect(entries.map((e) => e.id)).toEqual([inside.id]);
  });

  it.each([
    [
      "an overlapping entry",
      { start: "2026-03-29T07:00:00Z", end: "2026-03-29T09:00:00Z" },
      /overlap/i,
    ],
    ["an unknown user", { userEmail: "ghost@gtsandbox.en" }, /ghost@gtsandbox\.en/],
    ["an unknown time type", { timeTypeId: "no-such-type" }, /no-such-type/],
    ["a project not assigned to the user", { projectId: SEED_PROJECTS.workshop.id }, /project/i],
    ["an end before the start", { end: "2026-03-29T05:00:00Z" }, /end/i],
  ])("refuses %s with the server's reason", async (_what, change, reason) => {
    const base = {
      userEmail: SEED_USERS.anna as string,
      start: "2026-03-29T06:00:00Z",
      end: "2026-03-29T08:00:00Z",
      timeTypeId: WORKING as string,
      projectId: WAREHOUSE as string | null,
    };
    const entry = (fields: typeof base) => ({
      ...fields,
      start: new Date(fields.start),
      end: new Date(fields.end),
    });
    await client.createTimeEntry(entry(base));
    const error = await failureOf(client.createTimeEntry(entry({ ...base, ...change })));
    expect(error).toBeInstanceOf(GoodTimeError);
    const refused = error as GoodTimeError;
    expect(refused).toMatchObject({ kind: "refused", code: "GT_REFUSED" });
    expect([400, 409, 422]).toContain(refused.status);
    expect(refused.serverReason).toMatch(reason);
    expect(refused.message).toContain(refused.serverReason);
    expect(sim.state.entries()).toHaveLength(1);
  });
});

describe.each(["text", "json-string", "json-object"] as const)(
  "a login answered as %s",
  (loginResponse) => {
    it("yields a token the server accepts", async () => {
      const sim = await startSimulator({ port: 0, loginResponse });
      const client = clientFor(sim.url);
      try {
        expect(await client.securedHello()).toBe("Secured Hello!");
      } finally {
        client.close();
        await sim.close();
      }
    });
  },
);

describe.each([
  { authHeader: "Authorization", authScheme: "Bearer" },
  { authHeader: "Authorization", authScheme: "" },
  { authHeader: "X-Auth-Token", authScheme: "" },
  { authHeader: "X-GoodTime-Token", authScheme: "Token" },
])("the token sent as $authHeader with scheme $authScheme", (auth) => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0, ...auth });
  });
  afterEach(() => sim.close());

  it("is accepted when the client is configured alike", async () => {
    const client = clientFor(sim.url, auth);
    expect(await client.users()).toContainEqual({ loginEmail: SEED_USERS.deniz });
    client.close();
  });

  it("is an auth failure after one fresh login when the client is configured otherwise", async () => {
    const client = clientFor(sim.url, {
      authHeader: auth.authHeader === "Authorization" ? "X-Other" : "Authorization",
      authScheme: "Bearer",
    });
    const error = await failureOf(client.users());
    client.close();
    expect(error).toMatchObject({ kind: "auth", code: "GT_AUTH_REJECTED", status: 401 });
    expect((error as Error).message).toContain("server.authHeader");
    const paths = sim.state.requests().map((r) => `${r.path} ${r.status}`);
    expect(paths).toEqual([
      "/api/login 200",
      "/api/time-v2.1/users 401",
      "/api/login 200",
      "/api/time-v2.1/users 401",
    ]);
  });
});

describe.each([
  ["iso-local", "Europe/Berlin"],
  ["epoch-ms", "Europe/Berlin"],
  ["yyyy-MM-dd HH:mm", "America/New_York"],
  ["iso-offset", "Asia/Kolkata"],
])("time format %s in %s", (timeFormat, timeZone) => {
  it("round-trips an entry across the spring DST change", async () => {
    const sim = await startSimulator({ port: 0, timeFormat, timeZone });
    const client = clientFor(sim.url, { timeFormat, timeZone });
    try {
      const start = new Date("2026-03-29T00:30:00Z");
      const end = new Date("2026-03-29T07:45:00Z");
      await client.createTimeEntry({
        userEmail: SEED_USERS.anna,
        start,
        end,
        timeTypeId: WORKING,
        projectId: null,
      });
      expect(sim.state.entries().map((e) => [e.start, e.end])).toEqual([[start, end]]);
      const [entry] = await client.timeEntries({
        userEmail: SEED_USERS.anna,
        from: new Date("2026-03-28T00:00:00Z"),
        to: new Date("2026-03-30T00:00:00Z"),
      });
      expect([entry?.start, entry?.end]).toEqual([start, end]);
    } finally {
      client.close();
      await sim.close();
    }
  });
});
