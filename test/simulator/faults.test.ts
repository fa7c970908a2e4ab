import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { FakeClock } from "../fakes/clock.js";
import { type Api, api, errorOf, loginToken } from "./helpers.js";

const CREATE = "/api/time-v2.1/createtimeentry";

function entryAt(hour: number) {
  const hh = String(hour).padStart(2, "0");
  return {
    starttime: `2026-05-04T${hh}:00:00+02:00`,
    endtime: `2026-05-04T${hh}:30:00+02:00`,
    useremail: SEED_USERS.anna,
    timetypeid: SEED_TIME_TYPES.workingHours.id,
  };
}

describe("simulator faults", () => {
  let simulator: Simulator;
  let client: Api;
  const clock = new FakeClock("2026-05-04T10:00:00Z");

  beforeEach(async () => {
    simulator = await startSimulator({ now: () => clock.now() });
    client = api(simulator, await loginToken(simulator));
  });
  afterEach(() => simulator.close());

  it("fails the next matching requests with the status, Retry-After and no booking", async () => {
    simulator.faults.failNext(2, 503, { retryAfter: 7, path: "createtimeentry" });
    expect((await client.get("/api/time-v2.1/users")).status).toBe(200);
    for (const hour of [8, 9]) {
      const failed = await client.post(CREATE, entryAt(hour));
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toBe("7");
      expect(await errorOf(failed)).toBe("simulated failure: status 503");
    }
    expect(simulator.state.entries()).toEqual([]);
    expect((await client.post(CREATE, entryAt(10))).status).toBe(200);
    expect(simulator.state.counters.injectedFailures).toBe(2);
  });

  it("fails with a given body and an HTTP-date Retry-After, matching a RegExp", async () => {
    const date = "Mon, 04 May 2026 10:05:00 GMT";
    simulator.faults.failNext(1, 429, {
      retryAfter: date,
      path: /timeentries$/,
      body: "slow down",
    });
    expect((await client.post(CREATE, entryAt(8))).status).toBe(200);
    const failed = await client.get("/api/time-v2.1/timeentries");
    expect([failed.status, failed.headers.get("retry-after"), await failed.text()]).toEqual([
      429,
      date,
      "slow down",
    ]);
  });

  it("drops the connection before commit: the client sees an error and nothing is stored", async () => {
    simulator.faults.dropNext(1, "before-commit", { path: "createtimeentry" });
    await expect(client.post(CREATE, entryAt(8))).rejects.toThrow("fetch failed");
    expect(simulator.state.entries()).toEqual([]);
    expect(simulator.state.requests().at(-1)).toMatchObject({ path: CREATE, status: "dropped" });
  });

  it("drops the connection after commit: the client sees an error but the entry WAS stored", async () => {
    simulator.faults.dropNext(1, "after-commit");
    await expect(client.post(CREATE, entryAt(8))).rejects.toThrow("fetch failed");
    expect(simulator.state.entries()).toHaveLength(1);
    const retry = await client.post(CREATE, entryAt(8));
    expect(retry.status).toBe(409);
    expect(await errorOf(retry)).toContain("overlapping time entry");
    expect(simulator.state.counters.droppedConnections).toBe(1);
  });

  it("holds answers back by the latency: a client that gives up early gets none", async () => {
    simulator.faults.setLatency({ minMs: 1000, maxMs: 1500 });
    const impatient = fetch(`${simulator.url}/api/hello/sayhello`, {
      signal: AbortSignal.timeout(50),
    });
    await expect(impatient).rejects.toThrow(/aborted|timeout/i);
    simulator.faults.clear();
    expect((await fetch(`${simulator.url}/api/hello/sayhello`)).status).toBe(200);
  });

  it("refuses a latency range whose maximum is below its minimum", () => {
    expect(() => simulator.faults.setLatency({ minMs: 10, maxMs: 5 })).toThrow(
      "latency maxMs 5 is below minMs 10",
    );
    expect(() => simulator.faults.failNext(0, 503)).toThrow("failNext count 0");
    expect(() => simulator.faults.failNext(1, 200)).toThrow("failNext status 200");
  });

  it("skews the Date header by the clock offset", async () => {
    simulator.faults.setClockOffsetMs(-90 * 60_000);
    const response = await fetch(`${simulator.url}/api/hello/sayhello`);
    expect(response.headers.get("date")).toBe("Mon, 04 May 2026 08:30:00 GMT");
    simulator.faults.clear();
    const cleared = await fetch(`${simulator.url}/api/hello/sayhello`);
    expect(cleared.headers.get("date")).toBe(clock.now().toUTCString());
  });

  it("clear() removes pending failures and drops", async () => {
    simulator.faults.failNext(5, 500);
    simulator.faults.dropNext(5, "before-commit");
    simulator.faults.clear();
    expect((await client.post(CREATE, entryAt(8))).status).toBe(200);
  });
});
