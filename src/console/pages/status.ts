import type { FastifyInstance } from "fastify";
import {
  assessStatus,
  readStatus,
  type SiteStatusResult,
  type StatusInputs,
  siteStatus,
  statusLevel,
} from "../../admin/index.js";
import type { ReaderStatus } from "../../readers/reader.js";
import type { EntryState } from "../../store/outbox.js";
import type { TerminalEvent } from "../../terminal/events.js";
import { type ConsoleDeps, consoleActor, pageContext, sendPage } from "../context.js";
import { html, type SafeHtml } from "../html.js";
import { CATALOGUE, Formats, type Locale } from "../i18n.js";
import { page } from "../layout.js";
import type { Messages } from "../messages-en.js";

/** Changes closer together than this make one update of a live page. */
const UPDATE_AFTER_MS = 300;
/** A comment line this often keeps proxies and browsers from closing a quiet stream. */
const HEARTBEAT_MS = 20_000;

function readerText(reader: ReaderStatus, f: Formats, t: Messages): string {
  const last = reader.lastReadAt
    ? t.status.lastRead(f.dateTime(reader.lastReadAt))
    : t.status.noReadYet;
  return `${reader.type}${reader.device ? ` ${reader.device}` : ""}: ${reader.state}; ${last}`;
}

function syncText(sync: NonNullable<StatusInputs["sync"]>, f: Formats): string {
  if (sync.phase === "no-credentials")
    return `no credentials${sync.detail ? `: ${sync.detail}` : ""}`;
  const parts: string[] = [sync.phase];
  if (sync.pausedUntil) parts.push(`→ ${f.dateTime(sync.pausedUntil)}`);
  if (sync.lastError) parts.push(`${sync.lastError.message} [${sync.lastError.code}]`);
  return parts.join("; ");
}

function seconds(ms: number): string {
  return `${ms < 0 ? "-" : "+"}${Math.round(Math.abs(ms) / 1000)} s`;
}

/** The live part of the status page: colour, what needs attention, then each part's line. */
export function statusFragment(
  deps: ConsoleDeps,
  locale: Locale,
  session: { actor: string },
): SafeHtml {
  const t = CATALOGUE[locale];
  const f = new Formats(locale, deps.config.terminal.timeZone);
  const inputs = readStatus(
    {
      db: deps.db,
      clock: deps.clock,
      config: deps.config,
      daemon: deps.daemon,
      actor: session.actor,
    },
    deps.running,
  );
  const attention = assessStatus(inputs);
  const level = statusLevel(attention);
  const { now, daemon } = inputs;
  const waiting = daemon?.running ? t.status.starting : t.status.unknownYet;
  const counts = (Object.entries(inputs.entries) as [EntryState, number][])
    .map(([state, n]) => `${t.status.state[state]} ${n}`)
    .join(", ");
  const row = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<div class="level level-${level}" role="status"><span class="dot" aria-hidden="true"></span> ${t.status.level[level]}</div>
<h2>${t.status.attention}</h2>
${
  attention.length === 0
    ? html`<p>${t.status.nothing}</p>`
    : html`<ul class="attention">${attention.map(
        (item) =>
          html`<li class="sev-${item.severity}"><strong>${t.status.severity[item.severity]}:</strong> ${t.status.code[item.code]}${
            locale === "en"
              ? html` <span class="detail">${item.message}</span>`
              : html` <span class="detail" lang="en">${item.message}</span>`
          }</li>`,
      )}</ul>`
}
<dl class="facts">
${row(
  t.status.terminal,
  daemon
    ? `${daemon.name}: ${daemon.running ? t.status.running(daemon.pid, f.dateTime(daemon.startedAt)) : t.status.notRunning(daemon.pid)}`
    : t.status.neverStarted,
)}
${row(t.status.reader, inputs.reader ? readerText(inputs.reader, f, t) : waiting)}
${row(t.status.sync, inputs.sync ? syncText(inputs.sync, f) : waiting)}
${row(t.status.entries, counts)}
${row(
  t.status.unbooked,
  inputs.oldestUnbookedAt
    ? t.status.since(
        f.age(now.getTime() - inputs.oldestUnbookedAt.getTime()),
        f.dateTime(inputs.oldestUnbookedAt),
      )
    : t.none,
)}
${row(
  t.status.lastBooked,
  inputs.lastBookedAt
    ? t.status.ago(
        f.dateTime(inputs.lastBookedAt),
        f.age(now.getTime() - inputs.lastBookedAt.getTime()),
      )
    : t.never,
)}
${row(
  t.status.openShifts,
  inputs.openShifts.length === 0
    ? "0"
    : html`<ul class="plain">${inputs.openShifts.map(
        (shift) =>
          html`<li>${shift.badgeName ? `${shift.badgeName} (${shift.email})` : shift.email}: ${f.dateTime(shift.start)}</li>`,
      )}</ul>`,
)}
${row(t.status.reviews, t.status.openReviews(inputs.openReviews))}
${row(
  t.status.unknown,
  inputs.unknownBadges.length > 0
    ? t.status.unknownSince(
        inputs.unknownBadges.length,
        inputs.unknownBadges.map((badge) => badge.text).join(", "),
      )
    : t.status.noUnknown,
)}
${row(
  t.status.clock,
  inputs.clock
    ? inputs.clock.synchronized
      ? t.status.synchronised(inputs.clock.source)
      : t.status.notSynchronised(inputs.clock.source)
    : waiting,
)}
${row(t.status.serverClock, inputs.serverClock ? t.status.skew(seconds(inputs.serverClock.skewMs)) : t.status.notCompared)}
${deps.fingerprint ? row(t.status.certificate, html`<code class="fingerprint">${deps.fingerprint}</code>`) : ""}
</dl>`;
}

/** The site, as `timeclock site status` shows it: its database, every door, the site's backlog. */
function siteSection(
  result: SiteStatusResult,
  t: Messages,
  f: Formats,
  locale: Locale,
  now: number,
): SafeHtml {
  const english = (text: string) =>
    locale === "en"
      ? html`<span class="detail">${text}</span>`
      : html`<span class="detail" lang="en">${text}</span>`;
  const heading = html`<h2 id="site-heading">${t.status.siteTitle}</h2>`;
  if (!result.reached) {
    return html`<section id="site-status" aria-labelledby="site-heading">${heading}
<div class="level level-critical"><span class="dot" aria-hidden="true"></span> ${t.status.level.critical}</div>
<ul class="attention"><li class="sev-critical"><strong>${t.status.severity.critical}:</strong> ${t.status.siteUnreachable(result.database)} ${english(result.reason)}</li></ul>
</section>`;
  }
  const { view } = result;
  const row = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<section id="site-status" aria-labelledby="site-heading">${heading}
<div class="level level-${view.level}"><span class="dot" aria-hidden="true"></span> ${t.status.level[view.level]}</div>
${
  view.attention.length === 0
    ? ""
    : html`<ul class="attention">${view.attention.map(
        (item) =>
          html`<li class="sev-${item.severity}"><strong>${t.status.severity[item.severity]}:</strong> ${english(item.message)}</li>`,
      )}</ul>`
}
<dl class="facts">
${row(t.status.siteDatabase, view.database)}
${row(
  t.status.siteDoors,
  html`<ul class="plain">${view.doors.map(
    (door) =>
      html`<li><strong>${door.id}</strong>${door.id === view.terminalId ? ` (${t.status.siteThis})` : ""}: ${t.status.siteDoor(f.age(door.silentSeconds * 1000), f.dateTime(door.lastContact), door.provisional)}</li>`,
  )}</ul>`,
)}
${row(t.status.siteBacklog, t.status.siteBacklogText(view.backlog))}
${row(
  t.status.unbooked,
  view.backlog.oldestUnbookedAt
    ? t.status.since(
        f.age(now - view.backlog.oldestUnbookedAt.getTime()),
        f.dateTime(view.backlog.oldestUnbookedAt),
      )
    : t.none,
)}
${row(
  t.status.lastBooked,
  view.backlog.lastBookedAt
    ? t.status.ago(
        f.dateTime(view.backlog.lastBookedAt),
        f.age(now - view.backlog.lastBookedAt.getTime()),
      )
    : t.never,
)}
</dl>
</section>`;
}

/** One Server-Sent Event; every line of the data gets its own `data:` field. */
export function sseMessage(event: string, data: string): string {
  return `event: ${event}\n${data
    .split("\n")
    .map((line) => `data: ${line}`)
    .join("\n")}\n\n`;
}

export function registerStatusPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const site = await siteStatus(ctx.admin);
    const body = html`<p class="hint">${ctx.t.status.live}</p>
<section id="live-status" data-live="status" aria-labelledby="status-heading">
<h2 id="status-heading" class="visually-hidden">${ctx.t.status.title}</h2>
<div data-live-body>${statusFragment(deps, request.locale, { actor: ctx.admin.actor })}</div>
</section>
${site ? siteSection(site, ctx.t, ctx.f, request.locale, deps.clock.now().getTime()) : ""}`;
    return sendPage(reply, page(ctx.frame, { title: ctx.t.status.title, active: "status", body }));
  });

  /**
   * The live stream: the status fragment again after each change the terminal reports (a tap, a
   * booking, a reader or clock change), and enrolment news for the enrol page.
   */
  app.get("/events", (request, reply) => {
    const session = request.consoleSession;
    if (!session) return reply.code(401).send();
    let timer: NodeJS.Timeout | undefined;
    const write = (text: string) => {
      if (!reply.raw.destroyed) reply.raw.write(text);
    };
    const sendStatus = () => {
      timer = undefined;
      try {
        write(
          sseMessage(
            "status",
            statusFragment(deps, request.locale, { actor: consoleActor(session) }).toString(),
          ),
        );
      } catch (error) {
        deps.logger.warn({ err: error }, "live status could not be read");
      }
    };
    const onEvent = (event: TerminalEvent) => {
      if (event.type === "enrolment") {
        write(
          sseMessage(
            "enrolment",
            JSON.stringify({ armId: event.enrolment.armId, state: event.enrolment.state }),
          ),
        );
        return;
      }
      timer ??= setTimeout(sendStatus, UPDATE_AFTER_MS);
    };
    const unsubscribe = deps.live.subscribe(onEvent);
    if (!unsubscribe)
      return reply.code(503).type("text/plain").send("too many live pages are open\n");
    reply.hijack();
    reply.raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    write("retry: 3000\n\n");
    const heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
    request.raw.once("close", () => {
      unsubscribe();
      clearInterval(heartbeat);
      clearTimeout(timer);
    });
  });
}
