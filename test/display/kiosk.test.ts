import { request } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { DaemonLink } from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import type { ControlRequest } from "../../src/control/protocol.js";
import { silentLogger } from "../../src/core/logger.js";
import { Door } from "../../src/display/door.js";
import { DoorReads } from "../../src/display/door-reads.js";
import { buildKioskApp } from "../../src/display/kiosk/server.js";
import { DoorWords } from "../../src/display/words.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { closedPort } from "../helpers/net.js";
import { tempDir } from "../helpers/temp.js";

/**
 * The kiosk page's server in-process on a real loopback port and a real SQLite file: who may
 * reach it, what a change must carry, escaping, and the live stream.
 */

const XSS = "<img src=x onerror=alert(1)>";
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function kiosk(options: { buttons?: boolean; pin?: boolean } = {}) {
  const dir = tempDir("timeclock-kiosk-");
  const clock = new FakeClock("2026-03-02T07:02:00Z");
  const config = parseConfig(
    {
      terminal: { dataDir: join(dir, "data") },
      server: { baseUrl: "https://x.example/g", loginEmail: "a@b.example" },
      entry: { timeTypeId: "work" },
      display: { type: "kiosk" },
    },
    "test",
  );
  const db = openDatabase(config.terminal.dataDir, { logger: silentLogger() });
  new BadgeRepository(db, clock).putAll([
    { badgeId: "0A00000001", knownBits: 40, email: "x@example.com", name: XSS },
  ]);
  const asked: ControlRequest[] = [];
  const daemon: DaemonLink = {
    notify: async () => ({ told: true, detail: "" }),
    ask: async (message) => {
      asked.push(message);
      return { answered: true, reply: { ok: true, type: "done", detail: "" } };
    },
  };
  const door = new Door({
    reads: new DoorReads(db, config, clock),
    config,
    clock,
    logger: silentLogger(),
  });
  door.start();
  const port = await closedPort();
  const app = await buildKioskApp({
    door,
    words: new DoorWords("en", "Europe/Berlin"),
    clock,
    logger: silentLogger(),
    daemon,
    options: { buttons: options.buttons ?? true, pin: options.pin ?? false, terminalName: "door" },
    port,
  });
  await app.listen({ host: "127.0.0.1", port });
  closers.push(async () => {
    door.close();
    await app.close();
    db.close();
  });
  const host = `127.0.0.1:${port}`;
  return { app, door, asked, host, port };
}

describe("the kiosk page's server", () => {
  it("serves the page with a strict Content-Security-Policy and no inline script or style", async () => {
    const { app, host } = await kiosk();
    const page = await app.inject({ url: "/", headers: { host } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page.body).not.toMatch(/\sstyle=/);
    const script = await app.inject({ url: "/static/kiosk.js", headers: { host } });
    expect(script.statusCode).toBe(200);
  });

  it.each(["evil.example", "evil.example:80", "192.168.1.20:8088", "localhost"])(
    "refuses a request for the host name %s (DNS rebinding, another address)",
    async (name) => {
      const { app } = await kiosk();
      const answer = await app.inject({ url: "/", headers: { host: name } });
      expect(answer.statusCode).toBe(421);
      expect(answer.body).not.toContain("<html");
    },
  );

  it("takes a touch button only as JSON with its own header, from its own origin", async () => {
    const { app, host, asked } = await kiosk();
    const post = (headers: Record<string, string>, body = '{"key":"out"}') =>
      app.inject({ method: "POST", url: "/key", headers: { host, ...headers }, payload: body });
    expect((await post({ "content-type": "application/json" })).statusCode).toBe(403);
    expect(
      (await post({ "content-type": "text/plain", "x-timeclock-kiosk": "1" }, "key=out"))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await post({
          "content-type": "application/json",
          "x-timeclock-kiosk": "1",
          origin: "http://evil.example",
        })
      ).statusCode,
    ).toBe(403);
    expect(asked).toEqual([]);
    const bad = await post(
      { "content-type": "application/json", "x-timeclock-kiosk": "1" },
      '{"key":"lunch"}',
    );
    expect(bad.statusCode).toBe(400);
    const ok = await post({
      "content-type": "application/json",
      "x-timeclock-kiosk": "1",
      origin: `http://${host}`,
    });
    expect(ok.statusCode).toBe(200);
    expect(asked).toEqual([{ type: "door-key", key: "out" }]);
  });

  it("has no buttons and takes none when display.kiosk.buttons is off", async () => {
    const { app, host } = await kiosk({ buttons: false });
    const page = await app.inject({ url: "/", headers: { host } });
    expect(page.body).not.toContain("data-key=");
    const post = await app.inject({
      method: "POST",
      url: "/key",
      headers: { host, "content-type": "application/json", "x-timeclock-kiosk": "1" },
      payload: '{"key":"in"}',
    });
    expect(post.statusCode).toBe(404);
    expect((await app.inject({ url: "/people", headers: { host } })).statusCode).toBe(404);
  });

  it("streams each new screen, with a badge's name as text", async () => {
    const { door, port } = await kiosk();
    const received: string[] = [];
    const stream = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path: "/events" }, resolve).on("error", reject).end();
    });
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => received.push(chunk));
    closers.unshift(async () => void stream.destroy());
    await expect.poll(() => received.join("")).toContain('data-screen="idle"');
    door.onEvent({
      type: "tap",
      tap: {
        tapId: 1,
        at: "2026-03-02T07:02:00.000Z",
        badgeId: "0A00000001",
        knownBits: 40,
        outcome: "ignored",
        reasonCode: "too-soon",
        email: "x@example.com",
        badgeName: XSS,
        entryId: null,
      },
    });
    await expect.poll(() => received.join("")).toContain('data-screen="too-soon"');
    const all = received.join("");
    expect(all).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(all).not.toContain(XSS);
  });
});
