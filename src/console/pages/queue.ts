import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DateTime } from "luxon";
import {
  AdminError,
  type AdminReview,
  bookReview,
  discardEntry,
  discardReview,
  editEntry,
  isAdminError,
  listQueue,
  listReviews,
  type QueueEntry,
  type QueueFilter,
  retryEntries,
} from "../../admin/index.js";
import {
  adminErrorText,
  type ConsoleDeps,
  formOf,
  type PageContext,
  pageContext,
  redirectWith,
  sendPage,
} from "../context.js";
import { checkboxField, formError, textField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, page } from "../layout.js";

const FILTERS = [
  "unfinished",
  "refused",
  "pending",
  "booked",
  "all",
] as const satisfies readonly QueueFilter[];
type ShownFilter = (typeof FILTERS)[number];

/** Entries shown at once; older ones are a narrower filter away. */
const QUEUE_LIMIT = 200;

/** One message under the entry or review it is about, after a change was refused. */
interface Problem {
  subject: string;
  message: SafeHtml;
}

/** What an admin set on the entry, in the words of the edit form: person, time type, project. */
function overrideText(ctx: PageContext, override: NonNullable<QueueEntry["override"]>): SafeHtml {
  const { t } = ctx;
  const parts: SafeHtml[] = [];
  if (override.email !== undefined) parts.push(html`${t.queue.person}: ${override.email}`);
  if (override.timeTypeId !== undefined) {
    parts.push(html`${t.badges.timeType}: <code>${override.timeTypeId}</code>`);
  }
  if (override.projectId !== undefined) {
    parts.push(
      override.projectId === null
        ? html`${t.enrol.noProject}`
        : html`${t.badges.project}: <code>${override.projectId}</code>`,
    );
  }
  return html`${parts.map((part, i) => (i === 0 ? part : html`; ${part}`))}`;
}

function entryCard(ctx: PageContext, entry: QueueEntry, problem: Problem | null): SafeHtml {
  const { t, f } = ctx;
  const id = entry.id;
  const changeable =
    entry.state === "held" || entry.state === "pending" || entry.state === "refused";
  const minutes = (entry.end.getTime() - entry.start.getTime()) / 60_000;
  const headingId = `entry-${id}`;
  return html`<article class="card entry state-${entry.state}" aria-labelledby="${headingId}">
<h3 id="${headingId}">${entry.email} · ${f.dateTime(entry.start)} – ${f.clock(entry.end)}</h3>
<dl class="facts">
<dt>${t.queue.state}</dt><dd><span class="badge-state">${t.status.state[entry.state]}</span></dd>
<dt>${t.queue.hours}</dt><dd>${f.hours(minutes)}</dd>
<dt>${t.queue.attempts}</dt><dd>${entry.attempts}</dd>
<dt>ID</dt><dd><code>${id}</code></dd>
${entry.lastError ? html`<dt>${t.queue.reason}</dt><dd><p class="reason" lang="en">${entry.lastError}${entry.lastErrorCode ? ` [${entry.lastErrorCode}]` : ""}</p></dd>` : ""}
${entry.override ? html`<dt>${t.queue.override}</dt><dd>${overrideText(ctx, entry.override)}</dd>` : ""}
</dl>
${problem ? formError(problem.message) : ""}
${
  changeable
    ? html`<details${problem ? html` open` : ""}><summary>${t.queue.editTitle}</summary>
<form method="post" action="/queue/${id}/edit">
${csrfField(ctx.frame.csrfToken)}
${textField({ name: "email", id: `email-${id}`, label: t.queue.person, type: "email", value: entry.email, autocomplete: "off" })}
${textField({ name: "timeTypeId", id: `type-${id}`, label: t.badges.timeType, value: entry.timeTypeId, autocomplete: "off" })}
${textField({ name: "projectId", id: `project-${id}`, label: `${t.badges.project} (${t.optional})`, value: entry.projectId, autocomplete: "off" })}
${checkboxField({ name: "noProject", id: `noproject-${id}`, label: t.queue.noProject })}
<button type="submit">${t.queue.saveEdit}</button>
</form></details>
${entry.state === "refused" ? html`<form method="post" action="/queue/${id}/retry">${csrfField(ctx.frame.csrfToken)}<button type="submit" class="secondary">${t.queue.retry}</button></form>` : ""}
<details><summary>${t.queue.discardTitle}</summary>
<form method="post" action="/queue/${id}/discard">
${csrfField(ctx.frame.csrfToken)}
${textField({ name: "reason", id: `reason-${id}`, label: t.queue.discardReason, required: true, autocomplete: "off" })}
<button type="submit" class="danger">${t.queue.discard}</button>
</form></details>`
    : ""
}
</article>`;
}

function reviewCard(ctx: PageContext, review: AdminReview, problem: Problem | null): SafeHtml {
  const { t, f } = ctx;
  const id = review.id;
  return html`<article class="card" aria-labelledby="review-${id}">
<h3 id="review-${id}">${t.queue.review(id)}: ${review.badgeName ? `${review.badgeName} (${review.email})` : review.email}</h3>
<dl class="facts"><dt>${t.queue.start}</dt><dd>${f.dateTime(review.start)}</dd><dt>${t.queue.reason}</dt><dd><p class="reason" lang="en">${review.reason}</p></dd></dl>
${problem ? formError(problem.message) : ""}
<form method="post" action="/reviews/${id}/book">
${csrfField(ctx.frame.csrfToken)}
${textField({ name: "start", id: `start-${id}`, label: `${t.queue.start} (${t.optional})`, type: "datetime-local", hint: t.queue.startHint })}
${textField({ name: "end", id: `end-${id}`, label: t.queue.end, type: "datetime-local", required: true })}
${checkboxField({ name: "force", id: `force-${id}`, label: t.queue.force })}
<button type="submit">${t.queue.book}</button>
</form>
<details><summary>${t.queue.discardTitle}</summary>
<form method="post" action="/reviews/${id}/discard">
${csrfField(ctx.frame.csrfToken)}
${textField({ name: "reason", id: `review-reason-${id}`, label: t.queue.discardReason, required: true, autocomplete: "off" })}
<button type="submit" class="danger">${t.queue.discard}</button>
</form></details>
</article>`;
}

/** A datetime-local value read in the site's zone; null when empty, undefined when unreadable. */
function localInstant(text: string | undefined, zone: string): Date | null | undefined {
  if (!text) return null;
  const parsed = DateTime.fromISO(text, { zone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

export function registerQueuePages(app: FastifyInstance, deps: ConsoleDeps): void {
  const queuePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    problem: Problem | null = null,
    status = 200,
  ) => {
    const ctx = pageContext(deps, request, reply);
    const { t } = ctx;
    const asked = String((request.query as { state?: unknown }).state ?? "unfinished");
    const filter: ShownFilter = FILTERS.find((name) => name === asked) ?? "unfinished";
    const entries = await listQueue(ctx.admin, { state: filter, limit: QUEUE_LIMIT });
    const reviews = await listReviews(ctx.admin);
    const body = html`<nav aria-label="${t.queue.filter}" class="filters"><ul>${FILTERS.map(
      (name) =>
        html`<li><a href="/queue?state=${name}"${name === filter ? html` aria-current="page"` : ""}>${t.queue.filters[name]}</a></li>`,
    )}</ul></nav>
${entries.length === 0 ? html`<p>${t.queue.empty}</p>` : entries.map((entry) => entryCard(ctx, entry, problem?.subject === entry.id ? problem : null))}
<h2>${t.queue.reviewsTitle}</h2>
${reviews.length === 0 ? html`<p>${t.queue.noReviews}</p>` : reviews.map((review) => reviewCard(ctx, review, problem?.subject === `review-${review.id}` ? problem : null))}`;
    return sendPage(
      reply,
      page(ctx.frame, { title: t.queue.title, active: "queue", body }),
      status,
    );
  };

  app.get("/queue", (request, reply) => queuePage(request, reply));

  /** Runs one change; an admin error shows the queue again with the error at its entry. */
  const change = async (
    request: FastifyRequest,
    reply: FastifyReply,
    subject: string,
    work: (ctx: PageContext, form: Record<string, string>) => Promise<string>,
  ) => {
    const ctx = pageContext(deps, request, reply);
    try {
      const text = await work(ctx, formOf(request));
      return redirectWith(reply, ctx.session, "/queue", { kind: "ok", text });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      return queuePage(
        request,
        reply,
        { subject, message: adminErrorText(ctx.t, error) },
        error.code === "ADM_NOT_FOUND" ? 404 : error.code === "ADM_NO_SITE" ? 503 : 409,
      );
    }
  };
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.post("/queue/:id/edit", (request, reply) =>
    change(request, reply, idOf(request), async (ctx, form) => {
      const id = idOf(request);
      await editEntry(ctx.admin, {
        id,
        ...(form.email ? { email: form.email } : {}),
        ...(form.timeTypeId ? { timeTypeId: form.timeTypeId } : {}),
        ...(form.noProject === "yes"
          ? { projectId: null }
          : form.projectId
            ? { projectId: form.projectId }
            : {}),
      });
      return ctx.t.queue.edited(id);
    }),
  );

  app.post("/queue/:id/retry", (request, reply) =>
    change(request, reply, idOf(request), async (ctx) => {
      await retryEntries(ctx.admin, { id: idOf(request) });
      return ctx.t.queue.retried(idOf(request));
    }),
  );

  app.post("/queue/:id/discard", (request, reply) =>
    change(request, reply, idOf(request), async (ctx, form) => {
      await discardEntry(ctx.admin, { id: idOf(request), reason: form.reason ?? "" });
      return ctx.t.queue.discarded(idOf(request));
    }),
  );

  const reviewId = (request: FastifyRequest) => Number((request.params as { id: string }).id);

  app.post("/reviews/:id/book", (request, reply) =>
    change(request, reply, `review-${reviewId(request)}`, async (ctx, form) => {
      const zone = deps.config.terminal.timeZone;
      const start = localInstant(form.start, zone);
      const end = localInstant(form.end, zone);
      if (start === undefined || !end) {
        throw new AdminError("ADM_INVALID", ctx.t.queue.badTime);
      }
      await bookReview(ctx.admin, {
        id: reviewId(request),
        ...(start ? { start } : {}),
        end,
        force: form.force === "yes",
      });
      return ctx.t.queue.booked(reviewId(request));
    }),
  );

  app.post("/reviews/:id/discard", (request, reply) =>
    change(request, reply, `review-${reviewId(request)}`, async (ctx, form) => {
      await discardReview(ctx.admin, { id: reviewId(request), reason: form.reason ?? "" });
      return ctx.t.queue.reviewDiscarded(reviewId(request));
    }),
  );
}
