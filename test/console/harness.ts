import { join } from "node:path";
import { afterEach } from "vitest";
import type { DaemonLink } from "../../src/admin/index.js";
import { setConsolePassword } from "../../src/admin/index.js";
import { parseConfig } from "../../src/config/load.js";
import { buildConsoleApp } from "../../src/console/app.js";
import type { GoodTimeDirectory } from "../../src/console/directory.js";
import { LiveHub } from "../../src/console/live.js";
import type { ControlRequest } from "../../src/control/protocol.js";
import type { Clock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { SiteBadgeWriter } from "../../src/site/badges.js";
import { type Db, openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

export const PASSWORD = "a long console password";

/** GoodTime's lists as a test wants them; no network. */
export const fakeDirectory: GoodTimeDirectory = {
  users: async () => ({ ok: true, items: ["anna.schmidt@gtsandbox.en", "ben.meyer@gtsandbox.en"] }),
  timeTypes: async () => ({ ok: true, items: [{ id: "work", name: "working hours" }] }),
  projects: async () => ({ ok: true, items: [{ id: "p1", name: "Warehouse" }] }),
  catalog: async () => ({ ok: false, warning: "not checked in this test" }),
  close: () => {},
};

/** A response with the cookies it set, its body read. */
export interface Answer {
  status: number;
  headers: Headers;
  body: string;
  location: string | null;
}

/**
 * The console app in-process, listening on loopback over plain HTTP, on a real SQLite file with a
 * password set. A small cookie jar plays the browser; `csrf` reads the form token from a page.
 */
export async function consoleUnderTest(
  options: {
    setPassword?: boolean;
    /** Site mode: the site's badge mapping, built on the console's own database and clock. */
    siteBadgeWriter?: (db: Db, clock: Clock) => SiteBadgeWriter;
  } = {},
) {
  const dir = tempDir("timeclock-console-");
  const clock = new FakeClock("2026-03-10T08:00:00Z");
  const config = parseConfig(
    {
      terminal: { name: "test-door", dataDir: join(dir, "data"), timeZone: "Europe/Berlin" },
      server: { baseUrl: "http://127.0.0.1:9/goodtime-rs", loginEmail: "admin@gtsandbox.en" },
      entry: { timeTypeId: "work" },
      console: { enabled: true, listen: "127.0.0.1", https: false },
    },
    "test config",
  );
  const db: Db = openDatabase(config.terminal.dataDir, { logger: silentLogger() });
  const told: ControlRequest[] = [];
  const daemon: DaemonLink = {
    notify: async (request) => {
      told.push(request);
      return { told: true, detail: "noted" };
    },
    ask: async () => ({
      answered: false,
      note: { told: false, reason: "not-running", detail: "no terminal in this test" },
    }),
  };
  if (options.setPassword ?? true) {
    await setConsolePassword({ db, clock, config, daemon, actor: "cli:test" }, PASSWORD);
  }
  const app = await buildConsoleApp({
    db,
    clock,
    config,
    logger: silentLogger(),
    daemon,
    directory: fakeDirectory,
    running: () => false,
    live: new LiveHub(),
    fingerprint: null,
    scratchDir: dir,
    ...(options.siteBadgeWriter ? { siteBadgeWriter: options.siteBadgeWriter(db, clock) } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  afterEach(async () => {
    await app.close();
    db.close();
  });

  const jar = new Map<string, string>();
  const request = async (
    method: string,
    path: string,
    body?: Record<string, string> | FormData,
    extra: { headers?: Record<string, string>; keepCookies?: boolean } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...extra.headers };
    if (jar.size > 0)
      headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      payload = new URLSearchParams(body).toString();
    }
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      redirect: "manual",
    });
    if (extra.keepCookies ?? true) {
      for (const cookie of response.headers.getSetCookie()) {
        const [pair = ""] = cookie.split(";");
        const [name = "", ...value] = pair.split("=");
        if (value.join("=") === "") jar.delete(name);
        else jar.set(name, value.join("="));
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      location: response.headers.get("location"),
    };
  };
  const csrf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  const login = async (password = PASSWORD) => {
    const form = await request("GET", "/login");
    return request("POST", "/login", { password, _csrf: csrf(form.body), next: "/" });
  };
  return { app, db, clock, config, told, jar, request, csrf, login, base, dir };
}
