import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { type Api, api, loginToken } from "./helpers.js";

/** The fault modes that answer what no GoodTime would: portal pages, redirects, echoes, floods. */

const CREATE = "/api/time-v2.1/createtimeentry";
const booking = {
  starttime: "2026-07-01T08:00:00+02:00",
  endtime: "2026-07-01T16:00:00+02:00",
  useremail: SEED_USERS.anna,
  timetypeid: SEED_TIME_TYPES.workingHours.id,
};
const PASSWORD = 'pa"ss\\ w%rd-ü€';

describe("simulator odd answers", () => {
  let simulator: Simulator;
  let client: Api;

  beforeEach(async () => {
    simulator = await startSimulator();
    client = api(simulator, await loginToken(simulator));
  });
  afterEach(() => simulator.close());

  const login = (password: string = SEED_ADMIN.apiPassword) =>
    fetch(`${simulator.url}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ loginemail: SEED_ADMIN.loginEmail, apipassword: password }),
    });

  it("answers login with a captive portal's page in place of the service", async () => {
    simulator.faults.answerNext(1, { kind: "html" }, { path: "login" });
    const portal = await login();
    expect(portal.status).toBe(200);
    expect(portal.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await portal.text()).toMatch(/^<!DOCTYPE html>/);
    expect(simulator.state.counters.logins).toBe(1);
    expect((await login()).status).toBe(200);
    expect(simulator.state.counters.logins).toBe(2);
  });

  it("redirects to a portal, naming where the request wanted to go", async () => {
    simulator.faults.answerNext(1, { kind: "redirect" }, { path: /timeentries/ });
    const moved = await fetch(`${simulator.url}/api/time-v2.1/timeentries?x=1`, {
      redirect: "manual",
    });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("location")).toBe(
      `http://portal.invalid/login?continue=${encodeURIComponent("/goodtime-rs/api/time-v2.1/timeentries?x=1")}`,
    );
  });

  it("stores a booking and then answers garbage when armed after the commit", async () => {
    simulator.faults.answerNext(
      1,
      { kind: "garbage" },
      { path: "createtimeentry", when: "after-commit" },
    );
    const garbled = await client.post(CREATE, booking);
    expect(garbled.status).toBe(200);
    const text = await garbled.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(simulator.state.entries()).toHaveLength(1);
  });

  it("answers in place of the booking before the commit: nothing is stored", async () => {
    simulator.faults.answerNext(1, { kind: "garbage", status: 201 }, { path: "createtimeentry" });
    expect((await client.post(CREATE, booking)).status).toBe(201);
    expect(simulator.state.entries()).toEqual([]);
  });

  it.each([
    ["json", (body: string) => (JSON.parse(body) as { error: string }).error],
    ["text", (body: string) => body],
    ["url", (body: string) => new URLSearchParams(body).get("request") ?? ""],
    [
      "base64",
      (body: string) => {
        const error = (JSON.parse(body) as { error: string }).error;
        return Buffer.from(error.slice(error.lastIndexOf(" ") + 1), "base64").toString();
      },
    ],
    [
      "base64url",
      (body: string) => {
        const error = (JSON.parse(body) as { error: string }).error;
        return Buffer.from(error.slice(error.lastIndexOf(" ") + 1), "base64url").toString();
      },
    ],
  ] as const)("echoes the request body and headers back (%s)", async (encoding, decode) => {
    simulator.faults.setApiPassword(PASSWORD);
    simulator.faults.answerNext(1, { kind: "echo", status: 400, encoding }, { path: "login" });
    const echoed = await login(PASSWORD);
    expect(echoed.status).toBe(400);
    const text = decode(await echoed.text());
    expect(text).toContain(JSON.stringify(PASSWORD));
    expect(text).toContain("POST /goodtime-rs/api/login HTTP/1.1");
    expect(text).toMatch(/content-type: application\/json/i);
    expect(simulator.state.counters.logins).toBe(1);
  });

  it("echoes the token of a secured request in its Authorization header", async () => {
    const token = await loginToken(simulator);
    simulator.faults.answerNext(1, { kind: "echo" }, { path: "users" });
    const echoed = await api(simulator, token).get("/api/time-v2.1/users");
    expect(echoed.status).toBe(500);
    expect(await echoed.text()).toContain(`Bearer ${token}`);
  });

  it("sends a huge body of the size asked for", async () => {
    simulator.faults.answerNext(1, { kind: "huge", bytes: 3 * 1024 * 1024 }, { path: "users" });
    const flood = await client.get("/api/time-v2.1/users");
    const body = await flood.text();
    expect(body.length).toBe(3 * 1024 * 1024);
    expect(JSON.parse(body)).toHaveProperty("padding");
  });

  it("is armed over POST /_sim/faults too, and refused with a reason when malformed", async () => {
    const control = (body: unknown) =>
      fetch(`${simulator.url}/_sim/faults`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const armed = await control({
      answerNext: {
        count: 1,
        kind: "redirect",
        status: 307,
        location: "https://elsewhere.example/",
      },
    });
    expect(armed.status).toBe(200);
    const moved = await fetch(`${simulator.url}/api/hello/sayhello`, { redirect: "manual" });
    expect([moved.status, moved.headers.get("location")]).toEqual([
      307,
      "https://elsewhere.example/",
    ]);

    const wrong = await control({ answerNext: { count: 1, kind: "redirect", status: 200 } });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("a redirect answer's status 200 must be from 300 to 399");
    const unknown = await control({ answerNext: { count: 1, kind: "teapot" } });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("answerNext.kind");
  });

  it("clear() removes odd answers still armed", async () => {
    simulator.faults.answerNext(3, { kind: "html" });
    simulator.faults.clear();
    expect((await client.post(CREATE, booking)).status).toBe(200);
  });
});
