import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sendControl } from "../../src/control/client.js";
import { type ControlRequest, MAX_LINE_BYTES } from "../../src/control/protocol.js";
import { type ControlServer, startControlServer } from "../../src/control/server.js";
import { silentLogger } from "../../src/core/logger.js";
import { tempDir } from "../helpers/temp.js";

const servers: ControlServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function listening(path: string, heard: ControlRequest[] = []) {
  const server = await startControlServer(
    path,
    (request) => {
      heard.push(request);
      return request.type === "ping"
        ? { ok: true, type: "pong", pid: 1, startedAt: "2026-03-10T06:00:00.000Z", name: "door" }
        : { ok: true, type: "done", detail: "acted" };
    },
    silentLogger(),
  );
  if (!server) throw new Error("the control server did not start");
  servers.push(server);
  return server;
}

/** Writes raw bytes and reads the one reply line, as a client in another language would. */
function exchange(path: string, bytes: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => socket.write(bytes));
    let text = "";
    socket.on("data", (chunk) => {
      text += String(chunk);
    });
    socket.on("end", () => resolve(JSON.parse(text)));
    socket.on("error", reject);
  });
}

describe("the control channel", () => {
  it("carries typed requests to the handler and its replies back", async () => {
    const path = join(tempDir(), "control.sock");
    const heard: ControlRequest[] = [];
    await listening(path, heard);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await sendControl(path, { type: "ping" })).toEqual({
      delivered: true,
      reply: {
        ok: true,
        type: "pong",
        pid: 1,
        startedAt: "2026-03-10T06:00:00.000Z",
        name: "door",
      },
    });
    const change: ControlRequest = {
      type: "entries-changed",
      action: "retry",
      count: 1,
      entryIds: ["e-1"],
    };
    expect(await sendControl(path, change)).toMatchObject({ delivered: true, reply: { ok: true } });
    expect(heard).toEqual([{ type: "ping" }, change]);
  });

  it.each([
    ["not JSON", "hello\n", "bad-request", "not a line of JSON"],
    ["another version", '{"v":2,"type":"ping"}\n', "unsupported-version", "this daemon speaks 1"],
    [
      "a type it does not know",
      '{"v":1,"type":"kiosk-show"}\n',
      "unknown-type",
      "this daemon knows ping, entries-changed, badges-changed, enrol-arm, enrol-state, enrol-cancel",
    ],
    [
      "a field of the wrong type",
      '{"v":1,"type":"entries-changed","action":"retry","count":1,"entryIds":"e-1"}\n',
      "bad-request",
      "entries-changed: entryIds",
    ],
    ["a line without end", `${"x".repeat(MAX_LINE_BYTES + 10)}`, "bad-request", "too long"],
  ])("answers %s with a refusal, never by hanging up", async (_, bytes, code, message) => {
    const path = join(tempDir(), "control.sock");
    const heard: ControlRequest[] = [];
    await listening(path, heard);
    const reply = await exchange(path, bytes);
    expect(reply).toMatchObject({ ok: false, error: { code } });
    expect((reply as { error: { message: string } }).error.message).toContain(message);
    expect(heard).toEqual([]);
  });

  it("takes over a socket a killed daemon left behind, and removes its own when it stops", async () => {
    const path = join(tempDir(), "control.sock");
    const crashed = spawn(process.execPath, [
      "-e",
      `require("node:net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`,
    ]);
    await new Promise((resolve) => crashed.stdout.once("data", resolve));
    crashed.kill("SIGKILL");
    await new Promise((resolve) => crashed.once("exit", resolve));
    expect(existsSync(path)).toBe(true);
    expect(await sendControl(path, { type: "ping" })).toMatchObject({ reason: "not-running" });

    const server = await listening(path);
    expect(await sendControl(path, { type: "ping" })).toMatchObject({ delivered: true });
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(existsSync(path)).toBe(false);
  });

  it("stays off when another daemon answers on the socket, and says why to clients", async () => {
    const path = join(tempDir(), "control.sock");
    await listening(path);
    expect(
      await startControlServer(
        path,
        () => ({ ok: true, type: "done", detail: "" }),
        silentLogger(),
      ),
    ).toBeNull();
    expect(await sendControl(join(tempDir(), "none.sock"), { type: "ping" })).toMatchObject({
      delivered: false,
      reason: "not-running",
      detail: expect.stringContaining("the terminal is not running"),
    });
  });
});
