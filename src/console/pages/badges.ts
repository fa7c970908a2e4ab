import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { normaliseEmail } from "../../admin/badge-rules.js";
import {
  type AdminError,
  addBadge,
  type BadgeView,
  DIGIT_FORMS,
  type DigitForm,
  editBadge,
  exportBadges,
  importBadges,
  isAdminError,
  listBadges,
  removeBadge,
  unknownBadges,
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
import { type FieldErrors, formError, selectField, textField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, page } from "../layout.js";
import { pinSection, pinState, registerBadgePinPages } from "./badge-pin.js";
import { namedField, userOptions } from "./choices.js";

type BadgeForm = Record<string, string>;

function digitsOf(value: string | undefined): DigitForm | undefined {
  return DIGIT_FORMS.find((form) => form === value);
}

/** Which field an admin error of a badge form belongs to. */
function fieldOf(error: AdminError): string | null {
  if (error.code === "ADM_DIGITS_NEEDED" || error.code === "ADM_INVALID") return "badge";
  if (error.code === "ADM_SEVERAL_MATCH" || error.code === "ADM_NOT_FOUND") return "badge";
  return null;
}

async function mappingFields(
  deps: ConsoleDeps,
  ctx: PageContext,
  form: BadgeForm,
  errors: FieldErrors,
): Promise<SafeHtml> {
  const { t } = ctx;
  const [users, timeTypes, projects] = await Promise.all([
    deps.directory.users(),
    deps.directory.timeTypes(),
    deps.directory.projects(),
  ]);
  return html`${textField({ name: "email", label: t.badges.email, type: "email", value: form.email, required: true, autocomplete: "off", list: "users", errors })}
${userOptions("users", users)}
${textField({ name: "name", label: `${t.badges.name} (${t.optional})`, value: form.name, autocomplete: "off", errors })}
${namedField({ name: "timeTypeId", label: `${t.badges.timeType} (${t.optional})`, listing: timeTypes, value: form.timeTypeId, emptyLabel: t.enrol.defaultOption, errors, unavailable: t.enrol.listUnavailable })}
${namedField({ name: "projectId", label: `${t.badges.project} (${t.optional})`, listing: projects, value: form.projectId, emptyLabel: t.enrol.defaultOption, errors, unavailable: t.enrol.listUnavailable })}`;
}

function digitsField(ctx: PageContext, form: BadgeForm, errors: FieldErrors): SafeHtml {
  const { t } = ctx;
  return selectField({
    name: "digits",
    label: t.badges.digits,
    value: form.digits ?? "",
    errors,
    options: [
      { value: "", label: t.badges.digitsAuto },
      { value: "dec10", label: t.badges.digitsDec },
      { value: "hex10", label: t.badges.digitsHex },
    ],
  });
}

async function addPage(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  form: BadgeForm,
  failure: { errors?: FieldErrors; message?: SafeHtml; problems?: string[]; status?: number } = {},
) {
  const ctx = pageContext(deps, request, reply);
  const { t } = ctx;
  const errors = failure.errors ?? {};
  const body = html`<form method="post" action="/badges" class="card">
${csrfField(ctx.frame.csrfToken)}
${formError(failure.message, failure.problems)}
${textField({ name: "badge", label: t.badges.badge, value: form.badge, required: true, hint: t.badges.addHint, autocomplete: "off", errors })}
${digitsField(ctx, form, errors)}
${await mappingFields(deps, ctx, form, errors)}
<button type="submit">${t.save}</button>
</form>`;
  return sendPage(
    reply,
    page(ctx.frame, { title: t.badges.add, active: "badges", body }),
    failure.status ?? 200,
  );
}

/** A stored badge as the admin layer reads typed badges: its text, and how ten digits read. */
function typed(badge: BadgeView): { badge: string; digits?: DigitForm } {
  return badge.knownBits === 32 ? { badge: badge.text, digits: "dec10" } : { badge: badge.text };
}

function matches(badge: BadgeView, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return [badge.text, badge.badgeId, badge.email, badge.name ?? ""].some((value) =>
    value.toLowerCase().includes(needle),
  );
}

export function registerBadgePages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/badges", (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { t, f } = ctx;
    const query = String((request.query as { q?: unknown }).q ?? "");
    const all = listBadges(ctx.admin);
    const shown = all.filter((badge) => matches(badge, query));
    // Looking never writes: a page view must not take the database's write lock from a tap.
    const unknown = unknownBadges(ctx.admin, { markSeen: false });
    const body = html`<p><a class="button" href="/badges/new">${t.badges.add}</a> <a class="button secondary" href="/enrol">${t.nav.enrol}</a></p>
<form method="get" action="/badges" class="inline" role="search">
${textField({ name: "q", label: t.badges.searchLabel, type: "search", value: query })}
<button type="submit">${t.search}</button>
</form>
<p role="status">${t.badges.count(shown.length, all.length)}</p>
${
  all.length === 0
    ? html`<p>${t.badges.empty}</p>`
    : html`<div class="table-wrap" role="region" aria-label="${t.badges.title}" tabindex="0"><table>
<thead><tr><th scope="col">${t.badges.badge}</th><th scope="col">${t.badges.email}</th><th scope="col">${t.badges.name}</th><th scope="col">${t.badges.timeType}</th><th scope="col">${t.badges.project}</th><th scope="col">${t.badges.pinColumn}</th><th scope="col">${t.badges.updated}</th><th scope="col">${t.badges.actions}</th></tr></thead>
<tbody>${shown.map(
        (badge) =>
          html`<tr><td><code>${badge.text}</code></td><td class="wrap">${badge.email}</td><td class="wrap">${badge.name ?? ""}</td><td>${badge.timeTypeId ?? ""}</td><td>${badge.projectId ?? ""}</td><td>${badge.pin ? pinState(ctx, badge) : ""}</td><td>${f.dateTime(badge.updatedAt)}</td><td><a href="/badges/${badge.badgeId}">${t.edit}<span class="visually-hidden"> ${badge.text}</span></a></td></tr>`,
      )}</tbody></table></div>`
}
<h2 id="unknown">${t.badges.unknownTitle}</h2>
<p>${t.badges.unknownHint}</p>
${
  unknown.length === 0
    ? html`<p>${t.badges.noUnknown}</p>`
    : html`<ul class="cards">${unknown.map(
        (
          badge,
        ) => html`<li class="card"><p><code>${badge.text}</code> · ${t.badges.taps}: ${badge.taps} · ${t.badges.lastTap}: ${f.dateTime(badge.lastAt)}</p>
<a class="button" href="/badges/new?badge=${encodeURIComponent(badge.text)}">${t.badges.map(badge.text)}</a></li>`,
      )}</ul>
<form method="post" action="/badges/unknown/seen">${csrfField(ctx.frame.csrfToken)}<button type="submit" class="secondary">${t.badges.markSeen}</button></form>`
}
<h2>${t.badges.importTitle}</h2>
<form method="post" action="/badges/import" enctype="multipart/form-data" class="card">
${csrfField(ctx.frame.csrfToken)}
<div class="field"><label for="file">${t.badges.importFile}</label><input id="file" name="file" type="file" accept=".csv,text/csv" aria-describedby="file-hint"><span class="hint" id="file-hint">${t.badges.importHint}</span></div>
${digitsField(ctx, {}, {})}
<button type="submit">${t.badges.importSubmit}</button>
</form>
<p><a href="/badges.csv" download>${t.badges.exportLink}</a></p>`;
    return sendPage(reply, page(ctx.frame, { title: t.badges.title, active: "badges", body }));
  });

  app.post("/badges/unknown/seen", (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    unknownBadges(ctx.admin, { markSeen: true });
    return redirectWith(reply, ctx.session, "/badges#unknown", {
      kind: "ok",
      text: ctx.t.badges.markedSeen,
    });
  });

  app.get("/badges/new", (request, reply) => {
    const badge = String((request.query as { badge?: unknown }).badge ?? "");
    return addPage(deps, request, reply, { badge });
  });

  app.post("/badges", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const form = formOf(request);
    const email = normaliseEmail(form.email ?? "");
    if (!email.ok) {
      return addPage(deps, request, reply, form, { errors: { email: email.reason }, status: 400 });
    }
    try {
      const digits = digitsOf(form.digits);
      const result = await addBadge(ctx.admin, {
        badge: form.badge ?? "",
        ...(digits ? { digits } : {}),
        email: email.email,
        name: form.name ?? "",
        timeTypeId: form.timeTypeId ?? "",
        projectId: form.projectId ?? "",
        check: deps.directory.catalog,
      });
      const text = ctx.t.badges.added(result.badge.badgeId, result.email);
      const notes = [...result.notes, ...result.warnings].join(" ");
      return redirectWith(reply, ctx.session, "/badges", {
        kind: "ok",
        text: notes ? `${text} ${notes}` : text,
      });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      const field = fieldOf(error);
      const message = adminErrorText(ctx.t, error);
      return addPage(deps, request, reply, form, {
        ...(field ? { errors: { [field]: message } } : { message, problems: [...error.problems] }),
        status: error.code === "ADM_SERVER_CHECK" ? 422 : 400,
      });
    }
  });

  const mapped = (request: FastifyRequest) => {
    const id = (request.params as { id: string }).id;
    return listBadges({ ...deps, actor: "console" }).find((badge) => badge.badgeId === id);
  };

  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    badge: BadgeView,
    form: BadgeForm,
    failure: {
      errors?: FieldErrors;
      message?: SafeHtml;
      status?: number;
      pinErrors?: FieldErrors;
    } = {},
  ) => {
    const ctx = pageContext(deps, request, reply);
    const { t } = ctx;
    const errors = failure.errors ?? {};
    const body = html`<form method="post" action="/badges/${badge.badgeId}" class="card">
${csrfField(ctx.frame.csrfToken)}
${formError(failure.message)}
${await mappingFields(deps, ctx, form, errors)}
<button type="submit">${t.save}</button>
</form>
${pinSection(ctx, badge, failure.pinErrors)}
<h2>${t.badges.removeTitle}</h2>
<form method="post" action="/badges/${badge.badgeId}/remove" class="card">
${csrfField(ctx.frame.csrfToken)}
<p>${t.badges.removeHint}</p>
<button type="submit" class="danger">${t.remove}</button>
</form>`;
    return sendPage(
      reply,
      page(ctx.frame, { title: t.badges.editTitle(badge.text), active: "badges", body }),
      failure.status ?? 200,
    );
  };

  const storedForm = (badge: BadgeView): BadgeForm => ({
    email: badge.email,
    name: badge.name ?? "",
    timeTypeId: badge.timeTypeId ?? "",
    projectId: badge.projectId ?? "",
  });

  app.get("/badges/:id", (request, reply) => {
    const badge = mapped(request);
    if (!badge) return reply.callNotFound();
    return editPage(request, reply, badge, storedForm(badge));
  });

  registerBadgePinPages(app, deps, (request, reply, badge, pinErrors) =>
    editPage(request, reply, badge, storedForm(badge), { pinErrors, status: 400 }),
  );

  app.post("/badges/:id", async (request, reply) => {
    const badge = mapped(request);
    if (!badge) return reply.callNotFound();
    const ctx = pageContext(deps, request, reply);
    const form = formOf(request);
    const email = normaliseEmail(form.email ?? "");
    if (!email.ok)
      return editPage(request, reply, badge, form, {
        errors: { email: email.reason },
        status: 400,
      });
    try {
      await editBadge(ctx.admin, {
        ...typed(badge),
        email: email.email,
        name: form.name || null,
        timeTypeId: form.timeTypeId || null,
        projectId: form.projectId || null,
        check: deps.directory.catalog,
      });
      return redirectWith(reply, ctx.session, "/badges", {
        kind: "ok",
        text: ctx.t.badges.updatedMsg(badge.text),
      });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      return editPage(request, reply, badge, form, {
        message: adminErrorText(ctx.t, error),
        status: 409,
      });
    }
  });

  app.post("/badges/:id/remove", async (request, reply) => {
    const badge = mapped(request);
    if (!badge) return reply.callNotFound();
    const ctx = pageContext(deps, request, reply);
    const result = await removeBadge(ctx.admin, typed(badge));
    return redirectWith(reply, ctx.session, "/badges", {
      kind: "ok",
      text: ctx.t.badges.removed(badge.text, result.removed.email),
    });
  });

  app.get("/badges.csv", (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="badges.csv"')
      .send(exportBadges(ctx.admin));
  });

  app.post("/badges/import", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const file = (request.body as { file?: unknown } | undefined)?.file;
    if (!Buffer.isBuffer(file) || file.length === 0) {
      return redirectWith(reply, ctx.session, "/badges", {
        kind: "error",
        text: ctx.t.badges.noFile,
      });
    }
    const digits = digitsOf(formOf(request).digits);
    try {
      const result = await importBadges(ctx.admin, {
        text: file.toString("utf8"),
        source: "console upload",
        ...(digits ? { digits } : {}),
        check: deps.directory.catalog,
      });
      return redirectWith(reply, ctx.session, "/badges", {
        kind: "ok",
        text: [ctx.t.badges.imported(result.added, result.updated), ...result.warnings].join(" "),
      });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      const problems =
        error.problems.length > 0 ? ` ${error.problems.slice(0, 20).join("; ")}` : "";
      return redirectWith(reply, ctx.session, "/badges", {
        kind: "error",
        text: `${ctx.t.adminError[error.code]} ${error.message}${problems}`,
      });
    }
  });
}
