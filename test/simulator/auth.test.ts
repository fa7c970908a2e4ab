import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/simulator/index.js";
import { FakeClock } from "../fakes/clock.js";
import { errorOf, loginToken, timeEntriesQuery } from "./helpers.js";

const credentials = JSON.stringify({
  loginemail: SEED_ADMIN.loginEmail,
  apipassword: SEED_ADMIN.apiPassword,
});

function login(simulator: Simulator, body = credentials): Promise<Response> {
  return fetch(`${simulator.url}/api/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body,
  });
}

describe("simulator authentication", () => {
  const started: Simulator[] = [];
  async function start(options: SimulatorOptions = {}): Promise<Simulator> {
    const simulator = await startSimulator(options);
    started.push(simulator);
    return simulator;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  });

  const secured = (simulator: Simulator, headers: Record<string, string>) =>
    fetch(`${simulator.url}/api/time-v2.1/users`, { headers });

  it("refuses a token once its lifetime has passed on the injected clock", async () => {
    const clock = new FakeClock("2026-03-29T06:00:00Z");
    const simulator = await start({ now: () => clock.now(), tokenLifetimeSeconds: 600 });
    const token = await loginToken(simulator);
    clock.advance(599_000);
    expect((await secured(simulator, { Authorization: `Bearer ${token}` })).status).toBe(200);
    clock.advance(1000);
    const expired = await secured(simulator, { Authorization: `Bearer ${token}` });
    expect(expired.status).toBe(401);
    expect(await errorOf(expired)).toContain(
      "the token has expired (it expired at 2026-03-29T06:10:00Z)",
    );
    expect(simulator.state.counters.authFailures).toBe(1);
  });

  it.each([
    [{}, "the Authorization header is missing"],
    [{ Authorization: "Bearer" }, 'does not start with "Bearer "'],
    [{ Authorization: "Basic YWRtaW46MTIzNDU2Nzg=" }, 'does not start with "Bearer "'],
    [{ Authorization: "Bearer abc.def" }, "is not a JSON web token"],
    [{ Authorization: "Bearer a.b.c" }, "signature this server did not make"],
  ])("refuses %j with 401 saying why", async (headers, message) => {
    const simulator = await start();
    const response = await secured(simulator, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(await errorOf(response)).toContain(message);
  });

  it("refuses every token after expireAllTokens and accepts a fresh login", async () => {
    const simulator = await start();
    const token = await loginToken(simulator);
    simulator.faults.expireAllTokens();
    const refused = await secured(simulator, { Authorization: `Bearer ${token}` });
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toContain("the token has expired");
    const fresh = await loginToken(simulator);
    expect((await secured(simulator, { Authorization: `Bearer ${fresh}` })).status).toBe(200);
  });

  it("refuses a token made by another simulator", async () => {
    const [one, two] = [await start(), await start()];
    const token = await loginToken(one);
    expect((await secured(two, { Authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it("refuses the old password after setApiPassword and takes the new one", async () => {
    const simulator = await start();
    const token = await loginToken(simulator);
    simulator.faults.setApiPassword("new-secret-9");
    const refused = await login(simulator);
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).not.toContain("new-secret-9");
    const body = JSON.stringify({ loginemail: SEED_ADMIN.loginEmail, apipassword: "new-secret-9" });
    expect((await login(simulator, body)).status).toBe(200);
    expect((await secured(simulator, { Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("takes the token in a configured header, bare", async () => {
    const simulator = await start({ authHeader: "X-Auth-Token", authScheme: "" });
    const token = await loginToken(simulator);
    expect((await secured(simulator, { "X-Auth-Token": token })).status).toBe(200);
    const wrongHeader = await secured(simulator, { Authorization: `Bearer ${token}` });
    expect(await errorOf(wrongHeader)).toContain("the X-Auth-Token header is missing");
    expect((await secured(simulator, { "X-Auth-Token": `Bearer ${token}` })).status).toBe(401);
  });

  it.each([
    ["text", "text/plain", (body: string) => body],
    ["json-string", "application/json", (body: string) => JSON.parse(body) as string],
    ["json-object", "application/json", (body: string) => JSON.parse(body).token as string],
  ] as const)("answers login as %s", async (loginResponse, type, tokenOf) => {
    const simulator = await start({ loginResponse });
    const response = await login(simulator);
    expect(response.headers.get("content-type")).toContain(type);
    const token = tokenOf(await response.text());
    expect(token.split(".")).toHaveLength(3);
    expect((await secured(simulator, { Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("reads and renders entries in a configured pattern and zone", async () => {
    const simulator = await start({ timeFormat: "yyyy-MM-dd HH:mm", timeZone: "America/New_York" });
    const token = await loginToken(simulator);
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const created = await fetch(`${simulator.url}/api/time-v2.1/createtimeentry`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        starttime: "2026-03-09 08:00",
        endtime: "2026-03-09 12:30",
        useremail: SEED_USERS.anna,
        timetypeid: SEED_TIME_TYPES.workingHours.id,
      }),
    });
    expect(created.status).toBe(200);
    expect(simulator.state.entries()[0]?.start).toEqual(new Date("2026-03-09T12:00:00Z"));
    const listed = await fetch(
      `${simulator.url}${timeEntriesQuery("/api/time-v2.1", SEED_USERS.anna, "2026-03-09 00:00", "2026-03-10 00:00")}`,
      { headers },
    );
    expect(await listed.json()).toMatchObject([
      { starttime: "2026-03-09 08:00", endtime: "2026-03-09 12:30" },
    ]);
  });

  it("logs requests at trace level without the password or the token", async () => {
    const lines: string[] = [];
    const logger = createLogger(
      { level: "trace", redactBadges: false },
      { write: (line: string) => lines.push(line) },
    );
    const simulator = await start({ logger });
    const token = await loginToken(simulator);
    await secured(simulator, { Authorization: `Bearer ${token}` });
    await login(
      simulator,
      JSON.stringify({ loginemail: SEED_ADMIN.loginEmail, apipassword: "bad-pw-7" }),
    );
    const log = lines.join("");
    expect(log).toContain('"path":"/api/time-v2.1/users"');
    expect(log).toContain('"status":401');
    for (const secret of [SEED_ADMIN.apiPassword, "bad-pw-7", token, token.split(".")[2] ?? ""]) {
      expect(log).not.toContain(secret);
    }
  });

  it("refuses options that cannot work, naming them", async () => {
    await expect(startSimulator({ basePath: "goodtime-rs/" })).rejects.toThrow(
      'basePath "goodtime-rs/" must start with "/"',
    );
    await expect(startSimulator({ tokenLifetimeSeconds: 0 })).rejects.toThrow(
      "tokenLifetimeSeconds 0",
    );
    await expect(startSimulator({ timeFormat: "HH:mm" })).rejects.toThrow('timeFormat "HH:mm"');
  });
});
