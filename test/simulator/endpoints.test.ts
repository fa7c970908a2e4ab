import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SEED_ADMIN,
  SEED_PROJECTS,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { type Api, api, errorOf, loginToken, timeEntriesQuery } from "./helpers.js";

const V2 = "/api/time-v2.1";
const V1 = "/api/time";

describe("simulator endpoints", () => {
  let simulator: Simulator;
  let client: Api;

  beforeEach(async () => {
    simulator = await startSimulator();
    client = api(simulator, await loginToken(simulator));
  });
  afterEach(() => simulator.close());

  it("says hello without a token and secured hello only with one", async () => {
    const hello = await fetch(`${simulator.url}/api/hello/sayhello`);
    expect([hello.status, await hello.text()]).toEqual([200, "Hello!"]);
    const secured = await client.get("/api/hello/securedSayhello");
    expect([secured.status, await secured.text()]).toEqual([200, "Secured Hello!"]);
    const anonymous = await fetch(`${simulator.url}/api/hello/securedSayhello`);
    expect(anonymous.status).toBe(401);
    expect(await errorOf(anonymous)).toContain("Authorization header is missing");
  });

  it("hands out a signed JWT with an exp claim an hour ahead", async () => {
    const token = await loginToken(simulator);
    const [header, payload] = token.split(".").map((part) => Buffer.from(part, "base64url"));
    expect(JSON.parse(String(header))).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = JSON.parse(String(payload));
    expect(claims.sub).toBe(SEED_ADMIN.loginEmail);
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it.each([
    [V2, "/timetypes"],
    [V1, "/timecategories"],
  ])("lists time types under %s%s", async (version, path) => {
    const response = await client.get(`${version}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toContainEqual({
      id: "56941eee-86a7-4a8d-8af1-f78b0a688f32",
      name: "working hours",
    });
  });

  it("does not serve a resource under the other version's name", async () => {
    expect((await client.get(`${V1}/timetypes`)).status).toBe(404);
    expect((await client.get(`${V2}/timecategories`)).status).toBe(404);
  });

  it.each([V2, V1])("lists users as loginemail objects under %s", async (version) => {
    const response = await client.get(`${version}/users`);
    const users = (await response.json()) as { loginemail: string }[];
    expect(users).toContainEqual({ loginemail: SEED_ADMIN.loginEmail });
    expect(users.map((u) => u.loginemail)).toEqual(Object.values(SEED_USERS));
  });

  it.each([V2, V1])("lists all projects and each user's projects under %s", async (version) => {
    const all = (await (await client.get(`${version}/projects`)).json()) as unknown[];
    expect(all).toHaveLength(3);
    const ben = await client.get(`${version}/projects/${encodeURIComponent(SEED_USERS.ben)}`);
    expect(await ben.json()).toEqual([
      { id: SEED_PROJECTS.warehouse.id, name: "Warehouse" },
      { id: SEED_PROJECTS.workshop.id, name: "Workshop" },
    ]);
    const admin = await client.get(`${version}/projects/${SEED_ADMIN.loginEmail}`);
    expect(await admin.json()).toEqual([]);
    const nobody = await client.get(`${version}/projects/nobody@gtsandbox.en`);
    expect(nobody.status).toBe(404);
    expect(await errorOf(nobody)).toContain('"nobody@gtsandbox.en" is not a user');
  });

  it("creates a v2.1 entry in whole minutes and returns it from timeentries", async () => {
    const created = await client.post(`${V2}/createtimeentry`, {
      starttime: "2026-03-29T07:59:12+02:00",
      endtime: "2026-03-29T16:30:45+02:00",
      useremail: SEED_USERS.anna,
      timetypeid: SEED_TIME_TYPES.workingHours.id,
      projectid: SEED_PROJECTS.warehouse.id,
      comment: "front-door",
    });
    expect(created.status).toBe(200);
    const [{ id }] = (await created.json()) as [{ id: string }];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const listed = await client.get(
      timeEntriesQuery(
        V2,
        SEED_USERS.anna,
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
      ),
    );
    expect(await listed.json()).toEqual([
      {
        id,
        starttime: "2026-03-29T07:59:00+02:00",
        endtime: "2026-03-29T16:30:00+02:00",
        useremail: SEED_USERS.anna,
        timetypeid: SEED_TIME_TYPES.workingHours.id,
        projectid: SEED_PROJECTS.warehouse.id,
        comment: "front-door",
        locked: false,
      },
    ]);
    expect(simulator.state.entries()).toMatchObject([
      { id, start: new Date("2026-03-29T05:59:00Z"), end: new Date("2026-03-29T14:30:00Z") },
    ]);
  });

  it("creates a v1.1 entry with a time category and lists it without comment or locked", async () => {
    const created = await client.post(`${V1}/createtimeentry`, {
      starttime: "2026-01-05T08:00:00Z",
      endtime: "2026-01-05T12:00:00Z",
      useremail: SEED_USERS.ben,
      timecategoryid: SEED_TIME_TYPES.travel.id,
      projectid: null,
    });
    expect(created.status).toBe(200);
    const listed = await client.get(
      timeEntriesQuery(
        V1,
        SEED_USERS.ben,
        "2026-01-05T00:00:00+01:00",
        "2026-01-06T00:00:00+01:00",
      ),
    );
    const entries = (await listed.json()) as Record<string, unknown>[];
    expect(entries).toEqual([
      {
        id: expect.any(String),
        starttime: "2026-01-05T09:00:00+01:00",
        endtime: "2026-01-05T13:00:00+01:00",
        useremail: SEED_USERS.ben,
        timecategoryid: SEED_TIME_TYPES.travel.id,
        projectid: null,
      },
    ]);
  });

  it("moves an end in the start's minute to the next minute", async () => {
    await client.post(`${V2}/createtimeentry`, {
      starttime: "2026-03-30T08:00:05+02:00",
      endtime: "2026-03-30T08:00:50+02:00",
      useremail: SEED_USERS.clara,
      timetypeid: SEED_TIME_TYPES.workingHours.id,
    });
    const [entry] = simulator.state.entries();
    expect([entry?.start, entry?.end]).toEqual([
      new Date("2026-03-30T06:00:00Z"),
      new Date("2026-03-30T06:01:00Z"),
    ]);
  });

  it("returns only entries whose start lies in [start, end)", async () => {
    const at = (start: string, end: string) =>
      client.post(`${V2}/createtimeentry`, {
        starttime: start,
        endtime: end,
        useremail: SEED_USERS.deniz,
        timetypeid: SEED_TIME_TYPES.workingHours.id,
      });
    await at("2026-02-01T23:00:00Z", "2026-02-02T01:00:00Z");
    await at("2026-02-02T08:00:00Z", "2026-02-02T09:00:00Z");
    await at("2026-02-03T00:00:00Z", "2026-02-03T01:00:00Z");
    const listed = await client.get(
      timeEntriesQuery(V2, SEED_USERS.deniz, "2026-02-02T00:00:00Z", "2026-02-03T00:00:00Z"),
    );
    const starts = ((await listed.json()) as { starttime: string }[]).map((e) => e.starttime);
    expect(starts).toEqual(["2026-02-02T09:00:00+01:00"]);
  });

  it.each([V2, V1])("deletes an entry under %s, then answers 404 for it", async (version) => {
    const created = await client.post(`${V2}/createtimeentry`, {
      starttime: "2026-03-02T08:00:00+01:00",
      endtime: "2026-03-02T09:00:00+01:00",
      useremail: SEED_USERS.emil,
      timetypeid: SEED_TIME_TYPES.workingHours.id,
    });
    const [{ id }] = (await created.json()) as [{ id: string }];
    expect((await client.delete(`${version}/deletetimeentry/${id}`)).status).toBe(204);
    expect(simulator.state.entries()).toEqual([]);
    const again = await client.delete(`${version}/deletetimeentry/${id}`);
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toContain(`time entry "${id}" does not exist`);
  });
});
