import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

const valid = {
  starttime: "2026-04-01T08:00:00+02:00",
  endtime: "2026-04-01T12:00:00+02:00",
  useremail: SEED_USERS.anna,
  timetypeid: SEED_TIME_TYPES.workingHours.id,
};

describe("simulator refusals", () => {
  let simulator: Simulator;
  let client: Api;
  let token: string;

  beforeAll(async () => {
    simulator = await startSimulator();
    token = await loginToken(simulator);
    client = api(simulator, token);
  });
  afterAll(() => simulator.close());

  it.each([
    [
      { ...valid, useremail: "zoe@gtsandbox.en" },
      422,
      'useremail "zoe@gtsandbox.en" is not a user',
    ],
    [{ ...valid, useremail: "Anna.Schmidt@gtsandbox.en" }, 422, 'did you mean "anna.schmidt@'],
    [{ ...valid, timetypeid: "no-such-type" }, 422, 'timetypeid "no-such-type" is not a time type'],
    [
      { ...valid, projectid: "no-such-project" },
      422,
      'projectid "no-such-project" is not a project',
    ],
    [
      { ...valid, projectid: SEED_PROJECTS.customerSite.id },
      422,
      `projectid "${SEED_PROJECTS.customerSite.id}" (Customer site) is not assigned to "${SEED_USERS.anna}"`,
    ],
    [{ ...valid, projectid: "" }, 400, 'projectid = "" is not a project id'],
    [
      { ...valid, endtime: "2026-04-01T08:00:00+02:00" },
      422,
      'endtime "2026-04-01T08:00:00+02:00" is not after starttime',
    ],
    [
      { ...valid, endtime: "2026-04-01T07:00:00+02:00" },
      422,
      'endtime "2026-04-01T07:00:00+02:00" is not after starttime',
    ],
    [
      { ...valid, starttime: "2026-04-01 08:00" },
      400,
      'starttime "2026-04-01 08:00" is not an ISO 8601 time with offset (iso-offset) such as "2026-03-29T07:59:00+02:00"',
    ],
    [{ ...valid, starttime: "2026-04-01T08:00:00" }, 400, 'starttime "2026-04-01T08:00:00" is not'],
    [
      { ...valid, starttime: "2026-04-01T08:00+02:00" },
      400,
      'starttime "2026-04-01T08:00+02:00" is not',
    ],
    [
      { ...valid, endtime: "2026-02-30T08:00:00+01:00" },
      400,
      'endtime "2026-02-30T08:00:00+01:00" is not',
    ],
    [{ ...valid, endtime: 1775037600000 }, 400, "endtime 1775037600000 is not"],
    [{ ...valid, starttime: undefined }, 400, "starttime is missing"],
    [{ ...valid, useremail: undefined }, 400, "useremail is missing"],
    [{ ...valid, timetypeid: undefined }, 400, "timetypeid is missing"],
    [{ ...valid, useremail: 42 }, 400, "useremail = 42 must be a non-empty string"],
    [{ ...valid, comment: 7 }, 400, "comment = 7 must be a string"],
    [{ ...valid, comment: "x".repeat(1001) }, 400, "has 1001 characters; at most 1000"],
    [
      { ...valid, timecategoryid: "x" },
      400,
      'unknown field "timecategoryid" (v2.1 calls it "timetypeid")',
    ],
    [{ ...valid, badge: "0004" }, 400, 'unknown field "badge"'],
  ])("v2.1 refuses %j with %i naming the field", async (body, status, message) => {
    const response = await client.post(`${V2}/createtimeentry`, body);
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toContain(message);
  });

  const validV1 = {
    starttime: valid.starttime,
    endtime: valid.endtime,
    useremail: SEED_USERS.anna,
    timecategoryid: SEED_TIME_TYPES.workingHours.id,
  };

  it.each([
    [{ ...validV1, comment: "hi" }, 'unknown field "comment" (comments exist only in v2.1)'],
    [
      { ...valid, timecategoryid: undefined },
      'unknown field "timetypeid" (v1.1 calls it "timecategoryid")',
    ],
    [{ ...validV1, timecategoryid: "nope" }, 'timecategoryid "nope" is not a time type'],
  ])("v1.1 refuses %j naming the field", async (body, message) => {
    const response = await client.post(`${V1}/createtimeentry`, body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await errorOf(response)).toContain(message);
  });

  it("refuses bodies that are not a JSON object, or not declared as JSON", async () => {
    const post = (body: string, type = "application/json") =>
      fetch(`${simulator.url}${V2}/createtimeentry`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": type },
        body,
      });
    const broken = await post("{");
    expect([broken.status, await errorOf(broken)]).toEqual([
      400,
      expect.stringContaining("body is not valid JSON"),
    ]);
    const list = await post(JSON.stringify([valid]));
    expect(await errorOf(list)).toContain("body must be a JSON object");
    const form = await post("starttime=x", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expect(await errorOf(form)).toContain('"application/x-www-form-urlencoded"');
  });

  it("refuses an entry overlapping one of the same user with 409, but not another user's", async () => {
    const first = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.ben,
    });
    expect(first.status).toBe(200);
    const overlap = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.ben,
      starttime: "2026-04-01T11:59:00+02:00",
      endtime: "2026-04-01T13:00:00+02:00",
    });
    expect(overlap.status).toBe(409);
    expect(await errorOf(overlap)).toContain("overlapping time entry");
    const touching = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.ben,
      starttime: "2026-04-01T12:00:00+02:00",
      endtime: "2026-04-01T13:00:00+02:00",
    });
    expect(touching.status).toBe(200);
    const otherUser = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.clara,
    });
    expect(otherUser.status).toBe(200);
  });

  it("locks a period: entries in it show locked, cannot be deleted, and none can be added", async () => {
    const inside = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.deniz,
      starttime: "2026-03-10T08:00:00+01:00",
      endtime: "2026-03-10T12:00:00+01:00",
    });
    const [{ id }] = (await inside.json()) as [{ id: string }];
    simulator.state.lockUntil(SEED_USERS.deniz, "2026-04-01T00:00:00+02:00");
    const listed = await client.get(
      timeEntriesQuery(
        V2,
        SEED_USERS.deniz,
        "2026-03-01T00:00:00+01:00",
        "2026-04-01T00:00:00+02:00",
      ),
    );
    expect(await listed.json()).toMatchObject([{ id, locked: true }]);
    const deletion = await client.delete(`${V2}/deletetimeentry/${id}`);
    expect(deletion.status).toBe(409);
    expect(await errorOf(deletion)).toContain(
      `time entry "${id}" of "${SEED_USERS.deniz}" is locked`,
    );
    const added = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.deniz,
      starttime: "2026-03-31T22:00:00+02:00",
      endtime: "2026-04-01T06:00:00+02:00",
    });
    expect(added.status).toBe(409);
    expect(await errorOf(added)).toContain(
      "starttime 2026-03-31T20:00:00Z lies in a locked period",
    );
    const after = await client.post(`${V2}/createtimeentry`, {
      ...valid,
      useremail: SEED_USERS.deniz,
    });
    expect(after.status).toBe(200);
    expect(simulator.state.entries().filter((e) => e.locked)).toHaveLength(1);
  });

  it.each([
    [
      `${V2}/timeentries?useremail=${SEED_USERS.anna}&start=2026-01-01T00:00:00Z`,
      400,
      "query parameter end is missing",
    ],
    [
      timeEntriesQuery(V2, SEED_USERS.anna, "yesterday", "2026-01-02T00:00:00Z"),
      400,
      'query parameter start "yesterday" is not an ISO 8601 time with offset',
    ],
    [
      timeEntriesQuery(V2, SEED_USERS.anna, "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"),
      400,
      'query parameter end "2026-01-01T00:00:00Z" is not after start',
    ],
    [
      `${timeEntriesQuery(V2, SEED_USERS.anna, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")}&start=2026-01-01T00:00:00Z`,
      400,
      "query parameter start is given more than once",
    ],
    [
      `${timeEntriesQuery(V2, SEED_USERS.anna, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")}&limit=5`,
      400,
      'unknown query parameter "limit"',
    ],
    [
      timeEntriesQuery(V1, "zoe@gtsandbox.en", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"),
      404,
      'useremail "zoe@gtsandbox.en" is not a user',
    ],
  ])("timeentries refuses %s with %i", async (path, status, message) => {
    const response = await client.get(path);
    expect(response.status).toBe(status);
    expect(await errorOf(response)).toContain(message);
  });

  it("answers unknown paths with 404 and wrong methods with 405 and Allow", async () => {
    const unknown = await client.get(`${V2}/timesheets`);
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toContain('no such resource: "/api/time-v2.1/timesheets"');
    const outside = await fetch(`${simulator.url.replace("/goodtime-rs", "")}/api/login`);
    expect(outside.status).toBe(404);
    const wrongMethod = await client.get(`${V2}/createtimeentry`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await errorOf(wrongMethod)).toContain("GET is not allowed");
  });

  it.each([
    [
      { loginemail: SEED_ADMIN.loginEmail, apipassword: "wrong" },
      401,
      "login email or the API password is wrong",
    ],
    [
      { loginemail: "anna.schmidt@gtsandbox.en", apipassword: SEED_ADMIN.apiPassword },
      401,
      'loginemail "anna.schmidt@gtsandbox.en"',
    ],
    [{ apipassword: SEED_ADMIN.apiPassword }, 400, "loginemail is missing"],
    [{ loginemail: SEED_ADMIN.loginEmail }, 400, "apipassword is missing"],
    [
      { loginemail: SEED_ADMIN.loginEmail, apipassword: 12345678 },
      400,
      "apipassword must be a non-empty string",
    ],
    [
      { loginemail: SEED_ADMIN.loginEmail, apipassword: "x", password: "x" },
      400,
      'unknown login field "password"',
    ],
  ])("login refuses %j with %i", async (body, status, message) => {
    const response = await fetch(`${simulator.url}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(status);
    const error = await errorOf(response);
    expect(error).toContain(message);
    expect(error).not.toContain(SEED_ADMIN.apiPassword);
  });
});
