import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/goodtime/transport.js";
import {
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { clientFor, failureOf } from "./support.js";

/** An answer larger than any the API gives is not read: an endpoint problem, or ambiguous after a create. */

const ENTRY = {
  userEmail: SEED_USERS.anna,
  start: new Date("2026-04-01T06:00:00Z"),
  end: new Date("2026-04-01T12:00:00Z"),
  timeTypeId: SEED_TIME_TYPES.workingHours.id,
  projectId: null,
};

describe("the cap on answers", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.close());

  it.each([
    ["login", "login", "endpoint"],
    ["a read", "users", "endpoint"],
    ["an error answer", "users", "endpoint"],
  ] as const)("stops reading a 10 MiB answer to %s", async (what, path, kind) => {
    const status = what === "an error answer" ? 503 : 200;
    sim.faults.answerNext(1, { kind: "huge", status }, { path });
    const client = clientFor(sim.url);
    const error = await failureOf(client.users());
    client.close();
    expect(error).toMatchObject({ kind, code: "GT_RESPONSE_TOO_LARGE" });
    expect((error as Error).message).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
  });

  it("makes a create whose answer is too large ambiguous: it was stored", async () => {
    sim.faults.answerNext(1, { kind: "huge" }, { path: "createtimeentry", when: "after-commit" });
    const client = clientFor(sim.url);
    const error = await failureOf(client.createTimeEntry(ENTRY));
    client.close();
    expect(error).toMatchObject({ kind: "ambiguous", code: "GT_RESPONSE_TOO_LARGE" });
    expect(sim.state.entries()).toHaveLength(1);
  });

  it("reads an answer just below the cap", async () => {
    sim.faults.answerNext(1, { kind: "huge", bytes: MAX_BODY_BYTES - 10 }, { path: "users" });
    const client = clientFor(sim.url);
    const error = await failureOf(client.users());
    client.close();
    // Read in full, and then refused for its shape, not its size.
    expect(error).toMatchObject({ kind: "endpoint", code: "GT_BAD_RESPONSE" });
  });

  it("counts the bytes after decompression, so a small gzip bomb is stopped too", async () => {
    const bomb = gzipSync(Buffer.alloc(20 * MAX_BODY_BYTES, 0x20));
    const server = createServer((request, response) => {
      request.resume();
      if (request.url?.endsWith("/api/login")) {
        response.end('{"token":"t-1"}');
        return;
      }
      response.writeHead(200, { "content-encoding": "gzip" }).end(bomb);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/goodtime-rs`;
    const client = clientFor(url);
    const error = await failureOf(client.users());
    client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    expect(error).toMatchObject({ kind: "endpoint", code: "GT_RESPONSE_TOO_LARGE" });
  });
});
