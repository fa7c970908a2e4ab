import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { leaksOf } from "../helpers/leaks.js";
import { capturedLogger, clientFor, failureOf } from "./support.js";

const PASSWORD = "Corr3ct-Horse-Battery";
const WRONG_PASSWORD = "Wr0ng-Guess-Staple";
const JWT_SHAPE = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]{6,}/;

const ENTRY = {
  userEmail: SEED_USERS.ben,
  start: new Date("2026-04-01T06:00:00Z"),
  end: new Date("2026-04-01T12:00:00Z"),
  timeTypeId: SEED_TIME_TYPES.workingHours.id,
  projectId: null,
  comment: "secrets test",
};

describe("secrets", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ port: 0 });
    sim.faults.setApiPassword(PASSWORD);
  });
  afterEach(() => sim.close());

  it("the token the server issues has the shape this test looks for", async () => {
    const response = await fetch(`${sim.url}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loginemail: SEED_ADMIN.loginEmail, apipassword: PASSWORD }),
    });
    expect(await response.text()).toMatch(JWT_SHAPE);
  });

  it("neither the password nor a token reaches a log line or an error", async () => {
    const { logger, lines } = capturedLogger();
    const client = clientFor(sim.url, { apiPassword: PASSWORD, logger, timeoutMs: 300 });
    const errors: unknown[] = [];

    await client.securedHello();
    const { id } = await client.createTimeEntry(ENTRY);
    sim.faults.expireAllTokens();
    await client.timeEntries({ userEmail: ENTRY.userEmail, from: ENTRY.start, to: ENTRY.end });
    errors.push(await failureOf(client.createTimeEntry(ENTRY)));
    sim.faults.failNext(1, 422, {
      path: "createtimeentry",
      body: JSON.stringify({ error: `apipassword ${PASSWORD} is not allowed here` }),
    });
    errors.push(
      await failureOf(
        client.createTimeEntry({
          ...ENTRY,
          start: ENTRY.end,
          end: new Date("2026-04-01T13:00:00Z"),
        }),
      ),
    );
    sim.faults.failNext(2, 401, { path: "users" });
    errors.push(await failureOf(client.users()));
    sim.faults.dropNext(1, "after-commit", { path: /deletetimeentry/ });
    errors.push(await failureOf(client.deleteTimeEntry(id)));
    sim.faults.setLatency(2000);
    errors.push(await failureOf(client.projects()));
    sim.faults.clear();
    client.close();

    const wrong = clientFor(sim.url, { apiPassword: WRONG_PASSWORD, logger });
    errors.push(await failureOf(wrong.securedHello()));
    wrong.close();

    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      "GT_REFUSED",
      "GT_REFUSED",
      "GT_AUTH_REJECTED",
      "GT_CONNECTION_LOST_AFTER_SEND",
      "GT_TIMEOUT",
      "GT_LOGIN_REJECTED",
    ]);
    expect(lines.join("\n")).toContain('"loginEmail":"admin@gtsandbox.en"');
    expect(lines.some((line) => line.includes("logging in again"))).toBe(true);

    const texts = [
      ...lines,
      ...errors.flatMap((error) => [
        String(error),
        (error as Error).stack ?? "",
        JSON.stringify(error),
        JSON.stringify((error as { serverReason?: string }).serverReason ?? ""),
      ]),
    ];
    for (const text of texts) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(WRONG_PASSWORD);
      expect(text).not.toMatch(JWT_SHAPE);
    }
    expect(errors[1]).toMatchObject({ serverReason: "apipassword [redacted] is not allowed here" });
    for (const error of errors) {
      expect(Object.keys(error as object)).not.toContain("options");
      expect(Object.keys(error as object)).not.toContain("request");
    }
  });
});

describe("an opaque token echoed in every encoding", () => {
  const TOKEN = "opaque/Token+with=chars-7";
  let server: Server;
  let url: string;
  beforeEach(async () => {
    let answer = 0;
    server = createServer((request, response) => {
      request.resume();
      if (request.url?.endsWith("/api/login")) {
        response.end(JSON.stringify({ token: TOKEN }));
        return;
      }
      const header = String(request.headers.authorization);
      const bodies = [
        JSON.stringify({ error: `token ${header} is not valid here` }),
        `bad token ${encodeURIComponent(header)}`,
        `x=${new URLSearchParams({ header }).toString()}`,
        JSON.stringify({ error: `seen ${Buffer.from(`h=${header}`).toString("base64")}` }),
        JSON.stringify({ error: `seen ${Buffer.from(`hh=${header}`).toString("base64url")}` }),
      ];
      response.writeHead(422).end(bodies[answer++ % bodies.length]);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/goodtime-rs`;
  });
  afterEach(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it("is hidden in every error the client gives, and in its log", async () => {
    const { logger, lines } = capturedLogger();
    const client = clientFor(url, { logger });
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++) errors.push(await failureOf(client.createTimeEntry(ENTRY)));
    client.close();
    for (const error of errors) {
      expect(error).toMatchObject({ kind: "refused", code: "GT_REFUSED" });
      const text = `${(error as Error).message} ${(error as { serverReason?: string }).serverReason}`;
      expect(leaksOf(text, TOKEN)).toEqual([]);
      expect(text).toContain("[redacted]");
    }
    for (const line of lines) expect(leaksOf(line, TOKEN)).toEqual([]);
  });
});
