import { randomBytes } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifyHelmet from "@fastify/helmet";
import fastifyMultipart from "@fastify/multipart";
import fastifyRateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { consolePasswordVersion, isAdminError } from "../admin/index.js";
import { type ConsoleDeps, sendPage } from "./context.js";
import { ANONYMOUS, COOKIE_OPTIONS, CSRF_COOKIE, SESSION_COOKIE } from "./cookies.js";
import { html } from "./html.js";
import { CATALOGUE, chooseLocale } from "./i18n.js";
import { page } from "./layout.js";
import { registerAuditPage } from "./pages/audit.js";
import { registerBackupPage } from "./pages/backup.js";
import { registerBadgePages } from "./pages/badges.js";
import { registerEnrolPages } from "./pages/enrol.js";
import { registerLoginPages } from "./pages/login.js";
import { registerQueuePages } from "./pages/queue.js";
import { registerReportPages } from "./pages/reports.js";
import { registerStatusPages } from "./pages/status.js";
import { registerTapsPage } from "./pages/taps.js";
import { SessionStore } from "./sessions.js";
import { registerStaticFiles } from "./static-files.js";

/** A route of the console, for the test that every one but the public ones needs a session. */
export interface ConsoleRoute {
  method: string;
  url: string;
  public: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    consoleRoutes: readonly ConsoleRoute[];
  }
}

/** Uploads (a badge CSV) larger than this are refused: 100,000 badges fit in about 6 MiB. */
const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

/** Requests one client address may make in a minute before it gets 429. */
export const REQUESTS_PER_MINUTE = 600;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The status code of each admin error, as the CLI has an exit code for each. */
export const HTTP_STATUS_BY_ADMIN_CODE = {
  ADM_INVALID: 400,
  ADM_DIGITS_NEEDED: 400,
  ADM_NOT_FOUND: 404,
  ADM_WRONG_STATE: 409,
  ADM_CHANGED: 409,
  ADM_SEVERAL_MATCH: 409,
  ADM_UNMAPPED: 409,
  ADM_OVERLAP: 409,
  ADM_BAD_FILE: 422,
  ADM_SERVER_CHECK: 422,
  ADM_NO_TERMINAL: 503,
  ADM_NO_SITE: 503,
  ADM_NO_TAP: 409,
} as const;

function wantsHtml(request: FastifyRequest): boolean {
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    !(request.headers.accept ?? "").startsWith("text/event-stream")
  );
}

/** The form's token, from the body (urlencoded or multipart), or the header scripts send. */
function csrfTokenOf(request: FastifyRequest): string | undefined {
  const field = (request.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof field === "string") return field;
  const header = request.headers["x-csrf-token"];
  return typeof header === "string" ? header : undefined;
}

/**
 * The console as a Fastify app: security headers with a strict Content-Security-Policy, cookies,
 * forms and uploads, a session on every route but the login page and static files, a CSRF token
 * on every change, then the pages. Listening (HTTPS or loopback HTTP) is the caller's part.
 */
export async function buildConsoleApp(
  deps: ConsoleDeps,
  tls?: { key: string; cert: string },
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(tls ? { https: tls } : {}),
    logger: false,
    // Live pages hold their streams open; closing the console ends them instead of waiting.
    forceCloseConnections: true,
    bodyLimit: MAX_UPLOAD_BYTES,
  });
  const sessions = new SessionStore(() => deps.clock.monotonicMs());
  const routes: ConsoleRoute[] = [];
  app.decorate("consoleRoutes", routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      routes.push({ method, url: route.url, public: route.config?.public === true });
    }
  });
  const log = deps.logger;

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
      },
    },
    // A self-signed certificate on a LAN address: HSTS would only lock admins out when it changes.
    strictTransportSecurity: false,
    referrerPolicy: { policy: "no-referrer" },
  });
  await app.register(fastifyCookie, { secret: randomBytes(32).toString("base64") });
  await app.register(fastifyFormbody);
  await app.register(fastifyMultipart, {
    attachFieldsToBody: "keyValues",
    limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 10 },
  });
  // Every client address gets at most this many requests a minute: far above a person clicking
  // (a page, its two static files and the live stream), far below what would keep the Pi busy.
  await app.register(fastifyRateLimit, {
    global: true,
    max: REQUESTS_PER_MINUTE,
    timeWindow: 60_000,
  });
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { ...COOKIE_OPTIONS, signed: true },
    getToken: csrfTokenOf,
    getUserInfo: (request: FastifyRequest) => request.consoleSession?.id ?? ANONYMOUS,
    csrfOpts: { hmacKey: randomBytes(32).toString("base64") },
  });

  app.decorateRequest("consoleSession", null);
  app.decorateRequest("locale", "en");
  app.addHook("onRequest", async (request, reply) => {
    request.locale = chooseLocale(deps.config.console.locale, request.headers["accept-language"]);
    request.consoleSession =
      sessions.find(request.cookies[SESSION_COOKIE], consolePasswordVersion(deps)) ?? null;
    if (request.routeOptions.config.public || request.consoleSession) return;
    if (wantsHtml(request)) {
      const next = encodeURIComponent(request.url);
      return reply.redirect(`/login?next=${next}`, 303);
    }
    return reply.code(401).type("text/plain; charset=utf-8").send("log in first\n");
  });
  app.addHook("preHandler", (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });
  app.addHook("onSend", async (request, reply) => {
    if (!request.url.startsWith("/static/")) reply.header("cache-control", "no-store");
  });

  const errorPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    text: string,
  ) => {
    const t = CATALOGUE[request.locale];
    const frame = {
      t,
      terminalName: deps.config.terminal.name,
      zone: deps.config.terminal.timeZone,
      csrfToken: null,
    };
    return sendPage(
      reply,
      page(frame, { title: text, body: html`<p><a href="/">${t.nav.status}</a></p>` }),
      status,
    );
  };
  app.setErrorHandler((error, request, reply) => {
    const t = CATALOGUE[request.locale];
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("FST_CSRF_")) {
      log.warn(
        { url: request.url, address: request.ip },
        "console refused a change without a valid form token",
      );
      return errorPage(request, reply, 403, t.forbidden);
    }
    if (isAdminError(error)) {
      return errorPage(
        request,
        reply,
        HTTP_STATUS_BY_ADMIN_CODE[error.code],
        `${t.adminError[error.code]} ${error.message}`,
      );
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) log.error({ err: error, url: request.url }, "console request failed");
    return errorPage(
      request,
      reply,
      status,
      status >= 500 ? t.serverError : String((error as Error).message),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    errorPage(request, reply, 404, CATALOGUE[request.locale].notFound),
  );

  registerStaticFiles(app);
  registerLoginPages(app, deps, sessions);
  registerStatusPages(app, deps);
  registerBadgePages(app, deps);
  registerEnrolPages(app, deps);
  registerQueuePages(app, deps);
  registerReportPages(app, deps);
  registerTapsPage(app, deps);
  registerAuditPage(app, deps);
  registerBackupPage(app, deps);
  return app;
}
