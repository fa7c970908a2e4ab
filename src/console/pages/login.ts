import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import PQueue from "p-queue";
import { checkConsolePassword } from "../../admin/index.js";
import { type ConsoleDeps, sendPage } from "../context.js";
import { ANONYMOUS, COOKIE_OPTIONS, SESSION_COOKIE } from "../cookies.js";
import { textField } from "../forms.js";
import { html } from "../html.js";
import { CATALOGUE } from "../i18n.js";
import { csrfField, page } from "../layout.js";
import type { SessionStore } from "../sessions.js";

/** Wrong passwords a client may try in a minute; the tenth attempt is refused unanswered. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 9;

/** Where a login may send the browser on: a path of this console, never another site. */
function safeNext(next: unknown): string {
  return typeof next === "string" &&
    /^\/(?!\/)[\w\-./?=&%]*$/.test(next) &&
    !next.startsWith("/login")
    ? next
    : "/";
}

export function registerLoginPages(
  app: FastifyInstance,
  deps: ConsoleDeps,
  sessions: SessionStore,
): void {
  const log = deps.logger;
  // One scrypt at a time: each takes 16 MiB, and a burst of logins must not take the Pi's memory.
  const checks = new PQueue({ concurrency: 1 });

  const loginPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { status?: number; error?: string; notice?: string; next?: string },
  ) => {
    const t = CATALOGUE[request.locale];
    const token = reply.generateCsrf({ userInfo: ANONYMOUS });
    const frame = {
      t,
      terminalName: deps.config.terminal.name,
      zone: deps.config.terminal.timeZone,
      csrfToken: null,
      flash: options.notice ? { kind: "ok" as const, text: options.notice } : undefined,
    };
    const body = html`<form method="post" action="/login" class="card narrow">
${csrfField(token)}<input type="hidden" name="next" value="${safeNext(options.next)}">
<input type="text" name="username" value="admin" autocomplete="username" hidden>
${textField({
  name: "password",
  label: t.login.password,
  type: "password",
  autocomplete: "current-password",
  required: true,
  errors: options.error ? { password: options.error } : {},
})}
<button type="submit">${t.login.submit}</button>
</form>`;
    return sendPage(reply, page(frame, { title: t.login.title, body }), options.status ?? 200);
  };

  app.get("/login", { config: { public: true } }, (request, reply) => {
    const query = request.query as { next?: string; bye?: string };
    if (request.consoleSession) return reply.redirect(safeNext(query.next), 303);
    const t = CATALOGUE[request.locale];
    return loginPage(request, reply, {
      next: query.next,
      ...(query.bye !== undefined ? { notice: t.login.loggedOut } : {}),
    });
  });

  app.post(
    "/login",
    {
      config: {
        public: true,
        rateLimit: {
          max: LOGIN_ATTEMPTS_PER_MINUTE,
          timeWindow: 60_000,
          onExceeded: (request: FastifyRequest) =>
            log.warn(
              { address: request.ip },
              "console login throttled: too many attempts in a minute",
            ),
          errorResponseBuilder: () => ({
            statusCode: 429,
            code: "LOGIN_THROTTLED",
            message: "throttled",
          }),
        },
      },
      errorHandler: (error, request, reply) => {
        const t = CATALOGUE[request.locale];
        if ((error as { statusCode?: number }).statusCode === 429) {
          return loginPage(request, reply, { status: 429, error: t.login.throttled });
        }
        throw error;
      },
    },
    async (request, reply) => {
      const t = CATALOGUE[request.locale];
      const form = (request.body ?? {}) as { password?: unknown; next?: unknown };
      const password = typeof form.password === "string" ? form.password : "";
      const next = typeof form.next === "string" ? form.next : undefined;
      const checked = await checks.add(() => checkConsolePassword(deps, password));
      if (!checked?.ok) {
        if (checked?.reason === "not-set") {
          log.warn({ address: request.ip }, "console login refused: no console password is set");
          return loginPage(request, reply, { status: 409, error: t.login.notSet, next });
        }
        log.warn({ address: request.ip }, "console login refused: wrong password");
        return loginPage(request, reply, { status: 401, error: t.login.wrong, next });
      }
      if (request.consoleSession) sessions.close(request.consoleSession.id);
      const session = sessions.open(request.ip, checked.version);
      log.info({ address: request.ip, session: session.tag }, "console login");
      reply.setCookie(SESSION_COOKIE, session.id, COOKIE_OPTIONS);
      return reply.redirect(safeNext(next), 303);
    },
  );

  app.post("/logout", (request, reply) => {
    const session = request.consoleSession;
    if (session) {
      sessions.close(session.id);
      log.info({ address: request.ip, session: session.tag }, "console logout");
    }
    reply.clearCookie(SESSION_COOKIE, COOKIE_OPTIONS);
    return reply.redirect("/login?bye", 303);
  });
}
