import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GoodTimeClient } from "../../src/goodtime/client.js";
import {
  isAmbiguous,
  isAuthFailure,
  isEndpointProblem,
  isRefused,
} from "../../src/goodtime/errors.js";
import {
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { FakeClock } from "../fakes/clock.js";
import { closedPort } from "../helpers/net.js";
import { clientFor, failureOf } from "./support.js";

const ENTRY = {
  userEmail: SEED_USERS.clara,
  start: new Date("2026-03-30T06:00:00Z"),
  end: new Date("2026-03-30T14:30:00Z"),
  timeTypeId: SEED_TIME_TYPES.workingHours.id,
  projectId: null,
};

/** A loopback port that nothing listens on. */

describe("failures, classified", () => {
  let sim: Simulator;
  let client: GoodTimeClient;

  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    client = clientFor(sim.url);
    await client.login();
  });
  afterEach(async () => {
    client.close();
    await sim.close();
  });

  const statuses = () => sim.state.requests().map((r) => `${r.method} ${r.path} ${r.status}`);

  it("503 with Retry-After is an endpoint problem, tried again after the time the server asks for", async () => {
    sim.faults.failNext(1, 503, { retryAfter: 7, path: "createtimeentry" });
    const error = await failureOf(client.createTimeEntry(ENTRY));
    expect(isEndpointProblem(error)).toBe(true);
    expect(error).toMatchObject({ code: "GT_SERVER_ERROR", status: 503, retryAfterMs: 7000 });
    expect(sim.state.entries()).toEqual([]);
  });

  it("429 with an HTTP-date Retry-After is retryable", async () => {
    const later = new Date(Date.now() + 120_000).toUTCString();
    sim.faults.failNext(1, 429, { retryAfter: later, path: "users" });
    const error = await failureOf(client.users());
    expect(error).toMatchObject({ kind: "retryable", code: "GT_SERVER_BUSY", status: 429 });
    const { retryAfterMs } = error as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(100_000);
    expect(retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it("401 makes the client log in again once and repeat the call", async () => {
    sim.faults.expireAllTokens();
    const { id } = await client.createTimeEntry(ENTRY);
    expect(sim.state.entries().map((e) => e.id)).toEqual([id]);
    expect(statuses()).toEqual([
      "POST /api/login 200",
      "POST /api/time-v2.1/createtimeentry 401",
      "POST /api/login 200",
      "POST /api/time-v2.1/createtimeentry 200",
    ]);
  });

  it("a second 401 after the fresh login is an auth failure, not a loop", async () => {
    sim.faults.failNext(2, 401, { path: "timetypes" });
    const error = await failureOf(client.timeTypes());
    expect(isAuthFailure(error)).toBe(true);
    expect(error).toMatchObject({ code: "GT_AUTH_REJECTED" });
    expect(statuses().filter((s) => s.includes("login"))).toHaveLength(2);
  });

  it("403 is an auth failure without a fresh login", async () => {
    sim.faults.failNext(1, 403, { path: "users", body: '{"error":"network not allowed"}' });
    const error = await failureOf(client.users());
    expect(error).toMatchObject({ kind: "auth", status: 403, serverReason: "network not allowed" });
    expect((error as Error).message).toContain("certain networks");
    expect(statuses().filter((s) => s.includes("login"))).toHaveLength(1);
  });

  it("a wrong password is an auth failure naming the login email", async () => {
    sim.faults.setApiPassword("changed-by-the-admin");
    const fresh = clientFor(sim.url);
    const error = await failureOf(fresh.securedHello());
    fresh.close();
    expect(isAuthFailure(error)).toBe(true);
    expect(error).toMatchObject({ code: "GT_LOGIN_REJECTED", status: 401 });
    expect((error as Error).message).toContain("login of admin@gtsandbox.en");
    expect((error as Error).message).toContain("Check the API password");
  });

  it.each([400, 409, 422])("%i is refused with the server's reason", async (status) => {
    sim.faults.failNext(1, status, {
      path: "createtimeentry",
      body: JSON.stringify({ error: `reason ${status}` }),
    });
    const error = await failureOf(client.createTimeEntry(ENTRY));
    expect(isRefused(error)).toBe(true);
    expect(error).toMatchObject({ code: "GT_REFUSED", status, serverReason: `reason ${status}` });
  });

  it("a connection dropped after the entry was stored is ambiguous", async () => {
    sim.faults.dropNext(1, "after-commit", { path: "createtimeentry" });
    const error = await failureOf(client.createTimeEntry(ENTRY));
    expect(isAmbiguous(error)).toBe(true);
    expect(error).toMatchObject({ code: "GT_CONNECTION_LOST_AFTER_SEND" });
    expect(sim.state.entries()).toHaveLength(1);
  });

  it("a connection dropped before the entry was stored is ambiguous too: the client cannot know", async () => {
    sim.faults.dropNext(1, "before-commit", { path: "createtimeentry" });
    const error = await failureOf(client.createTimeEntry(ENTRY));
    expect(isAmbiguous(error)).toBe(true);
    expect(sim.state.entries()).toEqual([]);
  });

  it("a dropped delete is ambiguous, a dropped read retryable", async () => {
    const { id } = await client.createTimeEntry(ENTRY);
    sim.faults.dropNext(1, "after-commit", { path: /deletetimeentry/ });
    expect(isAmbiguous(await failureOf(client.deleteTimeEntry(id)))).toBe(true);
    sim.faults.dropNext(1, "before-commit", { path: "users" });
    const read = await failureOf(client.users());
    expect(read).toMatchObject({ kind: "retryable", code: "GT_CONNECTION_LOST" });
  });

  it("a timeout on a read is retryable, on a create ambiguous", async () => {
    const impatient = clientFor(sim.url, { timeoutMs: 200 });
    await impatient.login();
    sim.faults.setLatency(3000);
    const read = await failureOf(impatient.users());
    expect(read).toMatchObject({ kind: "retryable", code: "GT_TIMEOUT" });
    const create = await failureOf(impatient.createTimeEntry(ENTRY));
    expect(create).toMatchObject({ kind: "ambiguous", code: "GT_TIMEOUT_AFTER_SEND" });
    expect((create as Error).message).toContain("within 200 ms");
    impatient.close();
    sim.faults.clear();
  });

  it("reports the server's Date header for the clock check", async () => {
    const seen: number[] = [];
    sim.faults.setClockOffsetMs(120_000);
    const watched = clientFor(sim.url, {
      onServerDate: (server, local) => seen.push(server.getTime() - local.getTime()),
    });
    await watched.hello();
    watched.close();
    expect(seen).toHaveLength(1);
    // The Date header has whole seconds.
    expect(seen[0]).toBeGreaterThan(118_000);
    expect(seen[0]).toBeLessThanOrEqual(121_000);
  });
});

describe("failures without a server", () => {
  it("connection refused is retryable, even for a create", async () => {
    const port = await closedPort();
    const client = clientFor(`http://127.0.0.1:${port}/goodtime-rs`);
    const hello = await failureOf(client.hello());
    expect(hello).toMatchObject({ kind: "retryable", code: "GT_NETWORK" });
    expect((hello as Error).message).toContain("ECONNREFUSED");
    const create = await failureOf(client.createTimeEntry(ENTRY));
    expect(create).toMatchObject({ kind: "retryable", code: "GT_NETWORK" });
    client.close();
  });
});

describe("token expiry", () => {
  it("logs in again before the token's exp instead of waiting for a 401", async () => {
    const clock = new FakeClock("2026-03-30T06:00:00Z");
    const sim = await startSimulator({
      port: 0,
      tokenLifetimeSeconds: 600,
      now: () => clock.now(),
    });
    const client = clientFor(sim.url, { clock });
    try {
      await client.users();
      clock.advance(9 * 60_000);
      await client.users();
      // Inside the last 30 s of the token's 10 minutes, the client logs in before calling.
      clock.advance(45_000);
      await client.users();
      const calls = sim.state.requests().map((r) => `${r.path} ${r.status}`);
      expect(calls).toEqual([
        "/api/login 200",
        "/api/time-v2.1/users 200",
        "/api/time-v2.1/users 200",
        "/api/login 200",
        "/api/time-v2.1/users 200",
      ]);
    } finally {
      client.close();
      await sim.close();
    }
  });

  it("shares one login among concurrent calls", async () => {
    const sim = await startSimulator({ port: 0 });
    const client = clientFor(sim.url);
    try {
      await Promise.all([client.users(), client.timeTypes(), client.projects()]);
      expect(sim.state.counters.logins).toBe(1);
    } finally {
      client.close();
      await sim.close();
    }
  });
});
