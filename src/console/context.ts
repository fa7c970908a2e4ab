import type { FastifyReply, FastifyRequest } from "fastify";
import type {
  AdminDeps,
  AdminError,
  DaemonLink,
  EntryStore,
  RunningProbe,
  SiteStatusSource,
} from "../admin/index.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SiteBadgeWriter } from "../site/badges.js";
import type { Db } from "../store/database.js";
import type { GoodTimeDirectory } from "./directory.js";
import { html, type SafeHtml } from "./html.js";
import { CATALOGUE, Formats, type Locale } from "./i18n.js";
import type { PageFrame } from "./layout.js";
import type { LiveHub } from "./live.js";
import type { Messages } from "./messages-en.js";
import type { Session } from "./sessions.js";

/** Everything the console works with, passed in so that tests build it around real parts. */
export interface ConsoleDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger: Logger;
  /** The running terminal, through its control socket. */
  daemon: DaemonLink;
  /** GoodTime's users, time types and projects, for choosing them in forms. */
  directory: GoodTimeDirectory;
  /** Whether the daemon that published the status still runs. */
  running: RunningProbe;
  /** Events for pages that update live. */
  live: LiveHub;
  /** The certificate the console serves, shown on the status page; null on plain HTTP. */
  fingerprint: string | null;
  /** Where backup copies are written before they are sent. */
  scratchDir: string;
  /** Site mode: the site's badge mapping, which badge changes go to. */
  siteBadgeWriter?: SiteBadgeWriter;
  /** Site mode: the site's entries, reviews and taps, which the queue page shows and changes. */
  siteEntries?: EntryStore;
  /** Site mode: the whole site's status, shown on the status page. */
  siteStatus?: SiteStatusSource;
  /** Site mode: the site's admin record, shown on the audit page beside this door's own. */
  siteAudit?: AdminDeps["siteAudit"];
}

declare module "fastify" {
  interface FastifyRequest {
    consoleSession: Session | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** Reachable without a session: the login page and static files. */
    public?: boolean;
  }
}

/** What a handler of a logged-in page works with. */
export interface PageContext {
  t: Messages;
  f: Formats;
  session: Session;
  /** The admin layer's deps, acting as this session. */
  admin: AdminDeps;
  frame: PageFrame;
}

/** The admin record's "who" for a console session: address and a short tag of the session. */
export function consoleActor(session: Session): string {
  return `console:${session.address}#${session.tag}`;
}

export function pageContext(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): PageContext {
  const session = request.consoleSession;
  if (!session) throw new Error("a page that needs a session was reached without one");
  const t = CATALOGUE[request.locale];
  const flash = session.flash;
  delete session.flash;
  return {
    t,
    f: new Formats(request.locale, deps.config.terminal.timeZone),
    session,
    admin: {
      db: deps.db,
      clock: deps.clock,
      config: deps.config,
      daemon: deps.daemon,
      actor: consoleActor(session),
      ...(deps.siteBadgeWriter
        ? { siteBadges: deps.siteBadgeWriter.as(consoleActor(session)) }
        : {}),
      ...(deps.siteEntries ? { siteEntries: deps.siteEntries } : {}),
      ...(deps.siteStatus ? { siteStatus: deps.siteStatus } : {}),
      ...(deps.siteAudit ? { siteAudit: deps.siteAudit } : {}),
    },
    frame: {
      t,
      terminalName: deps.config.terminal.name,
      zone: deps.config.terminal.timeZone,
      csrfToken: reply.generateCsrf({ userInfo: session.id }),
      flash,
    },
  };
}

/** Sends a rendered page. */
export function sendPage(reply: FastifyReply, markup: { toString(): string }, status = 200) {
  return reply.code(status).type("text/html; charset=utf-8").send(markup.toString());
}

/** After a change: a message for the next page, and a redirect there (POST, redirect, GET). */
export function redirectWith(
  reply: FastifyReply,
  session: Session,
  to: string,
  flash?: Session["flash"],
) {
  if (flash) session.flash = flash;
  return reply.redirect(to, 303);
}

/** A form's text fields; anything else (a file, a repeated field) is left out. */
export function formOf(request: FastifyRequest): Record<string, string> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/**
 * The words for an admin error: the catalogue's sentence, then the admin layer's precise one
 * (in English, marked so for screen readers on a German page).
 */
export function adminErrorText(t: Messages, error: AdminError): SafeHtml {
  return html`${t.adminError[error.code]} <span lang="en">${error.message}</span>`;
}
