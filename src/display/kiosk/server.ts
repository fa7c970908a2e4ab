import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import * as z from "zod";
import type { DaemonLink } from "../../admin/index.js";
import { sseMessage } from "../../console/pages/status.js";
import type { Clock } from "../../core/clock.js";
import type { Logger } from "../../core/logger.js";
import { KEY_NAMES } from "../../gpio/config-schema.js";
import type { Door } from "../door.js";
import type { DoorWords } from "../words.js";
import { registerPinRoutes } from "./pin-routes.js";
import { type KioskOptions, kioskPage, screenFragment } from "./view.js";

/**
 * The kiosk page's own small web server, in the console process: plain HTTP on 127.0.0.1 only,
 * for the Chromium of timeclock-kiosk.service on the Pi's own screen. Names and hours never
 * leave the machine: the server listens on loopback, answers only requests whose Host names that
 * address (a web page elsewhere cannot rebind a name to it), and takes a change (a touch
 * button, a PIN) only as JSON with its own header, which no other site's page can send without a CORS
 * preflight this server never grants.
 */

export const KIOSK_HOST = "127.0.0.1";
const CHANGE_HEADER = "x-timeclock-kiosk";
const HEARTBEAT_MS = 25_000;
/** The page, its two files and a stream; far more is someone else's. */
const REQUESTS_PER_MINUTE = 300;
const MAX_STREAMS = 8;

/** Where the page's screens come from: the door's model, or the samples of `display test`. */
export type ScreenSource = Pick<Door, "current" | "subscribe">;

export interface KioskDeps {
  door: ScreenSource;
  words: DoorWords;
  clock: Clock;
  logger: Logger;
  daemon: DaemonLink;
  options: KioskOptions;
  port: number;
}

const FILES: Record<string, string> = {
  "kiosk.css": "text/css; charset=utf-8",
  "kiosk.js": "text/javascript; charset=utf-8",
};

function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

const keyBody = z.object({ key: z.enum(KEY_NAMES) });

export async function buildKioskApp(deps: KioskDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 4096 });
  const hosts = allowedHosts(deps.port);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: "no-referrer" },
  });
  await app.register(fastifyRateLimit, {
    global: true,
    max: REQUESTS_PER_MINUTE,
    timeWindow: 60_000,
  });

  app.addHook("onRequest", async (request, reply) => {
    if (!hosts.has(request.headers.host ?? "")) {
      deps.logger.warn(
        { host: request.headers.host, address: request.ip },
        "kiosk page refused a request for another host name",
      );
      return reply
        .code(421)
        .type("text/plain")
        .send("this page is only for the terminal's own screen\n");
    }
    reply.header("cache-control", request.url.startsWith("/static/") ? "no-cache" : "no-store");
  });
  const isChange = (request: FastifyRequest) =>
    request.headers[CHANGE_HEADER] === "1" &&
    (request.headers["content-type"] ?? "").startsWith("application/json") &&
    (request.headers.origin === undefined || origins.has(request.headers.origin));
  const refuse = (reply: FastifyReply) =>
    reply.code(403).type("text/plain").send("not from the kiosk page\n");

  for (const [name, type] of Object.entries(FILES)) {
    const body = readFileSync(new URL(`../../../assets/kiosk/${name}`, import.meta.url));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
    app.get(`/static/${name}`, (request, reply) => {
      reply.header("etag", etag);
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      return reply.type(type).send(body);
    });
  }
  app.get("/favicon.ico", (_request, reply) => reply.code(204).send());

  app.get("/", (_request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .send(kioskPage(deps.door.current(), deps.words, deps.clock.now(), deps.options).toString()),
  );

  let streams = 0;
  app.get("/events", (request, reply) => {
    if (streams >= MAX_STREAMS)
      return reply.code(503).type("text/plain").send("too many streams\n");
    streams++;
    reply.hijack();
    reply.raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    const write = (text: string) => {
      if (!reply.raw.destroyed) reply.raw.write(text);
    };
    write("retry: 2000\n\n");
    const unsubscribe = deps.door.subscribe((screen) =>
      write(sseMessage("screen", screenFragment(screen, deps.words, deps.clock.now()).toString())),
    );
    const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
    request.raw.once("close", () => {
      streams--;
      unsubscribe();
      clearInterval(heartbeat);
    });
  });

  app.post("/key", async (request, reply) => {
    if (!deps.options.buttons) return reply.code(404).send();
    if (!isChange(request)) return refuse(reply);
    const body = keyBody.safeParse(request.body);
    if (!body.success)
      return reply.code(400).type("text/plain").send("key must be in, out or break\n");
    const answer = await deps.daemon.ask({ type: "door-key", key: body.data.key });
    if (!answer.answered) {
      deps.logger.warn(
        { detail: answer.note.detail },
        "a touch button could not reach the terminal",
      );
      return reply.code(503).send({ ok: false });
    }
    return reply.send({ ok: true });
  });

  if (deps.options.pin) {
    registerPinRoutes(app, {
      words: deps.words,
      logger: deps.logger,
      daemon: deps.daemon,
      isChange,
      refuse,
    });
  }
  return app;
}
