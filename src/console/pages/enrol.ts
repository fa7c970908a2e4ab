import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { badgeText, normaliseEmail } from "../../admin/badge-rules.js";
import {
  armEnrolment,
  cancelEnrolment,
  type EnrolmentView,
  enrolmentState,
  isAdminError,
  mappingOfCaptured,
  saveEnrolment,
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
import { namedField } from "./choices.js";

function armForm(ctx: PageContext, label: string): SafeHtml {
  return html`<form method="post" action="/enrol/arm">${csrfField(ctx.frame.csrfToken)}<button type="submit">${label}</button></form>`;
}

async function captureForm(
  deps: ConsoleDeps,
  ctx: PageContext,
  enrolment: EnrolmentView,
  form: Record<string, string>,
  errors: FieldErrors,
): Promise<SafeHtml> {
  const { t } = ctx;
  const email = normaliseEmail(form.email ?? "");
  const [users, timeTypes, projects] = await Promise.all([
    deps.directory.users(),
    deps.directory.timeTypes(),
    deps.directory.projects(email.ok ? email.email : undefined),
  ]);
  const person = users.ok
    ? selectField({
        name: "email",
        label: t.enrol.person,
        required: true,
        value: email.ok ? email.email : (form.email ?? ""),
        options: [
          { value: "", label: t.enrol.choose },
          ...users.items.map((user) => ({ value: user, label: user })),
        ],
        errors,
      })
    : textField({
        name: "email",
        label: t.enrol.person,
        type: "email",
        required: true,
        value: form.email,
        hint: t.enrol.usersUnavailable(users.reason),
        errors,
      });
  const action = `/enrol/${encodeURIComponent(enrolment.armId)}`;
  return html`<form method="post" action="${action}/save" class="card" data-projects-for="email">
${csrfField(ctx.frame.csrfToken)}
${person}
<button type="submit" class="secondary" formmethod="get" formaction="${action}" formnovalidate data-no-js>${t.enrol.loadProjects}</button>
${textField({ name: "name", label: `${t.badges.name} (${t.optional})`, value: form.name, autocomplete: "off", errors })}
${namedField({ name: "timeTypeId", label: `${t.badges.timeType} (${t.optional})`, listing: timeTypes, value: form.timeTypeId, emptyLabel: t.enrol.defaultOption, errors, unavailable: t.enrol.listUnavailable })}
${namedField({ name: "projectId", label: `${t.badges.project} (${t.optional})`, listing: projects, value: form.projectId, emptyLabel: t.enrol.defaultOption, errors, unavailable: t.enrol.projectsUnavailable })}
<button type="submit">${t.save}</button>
</form>`;
}

async function enrolmentPage(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  enrolment: EnrolmentView,
  form: Record<string, string>,
  failure: { errors?: FieldErrors; message?: SafeHtml; status?: number } = {},
) {
  const ctx = pageContext(deps, request, reply);
  const { t, f } = ctx;
  const self = `/enrol/${encodeURIComponent(enrolment.armId)}`;
  let body: SafeHtml;
  if (enrolment.state === "armed") {
    body = html`<div class="card" data-live="enrolment" data-arm="${enrolment.armId}" data-until="${enrolment.expiresAt}">
<p class="waiting" role="status">${t.enrol.waiting(f.time(enrolment.expiresAt))}</p>
<p><a class="button secondary" href="${self}">${t.enrol.check}</a></p>
<form method="post" action="${self}/cancel">${csrfField(ctx.frame.csrfToken)}<button type="submit" class="secondary">${t.cancel}</button></form>
</div>`;
  } else if (enrolment.state === "captured" && enrolment.badge) {
    const owner = mappingOfCaptured(ctx.admin, enrolment);
    body = html`<p class="flash flash-ok" role="status">${t.enrol.captured(badgeText(enrolment.badge))}</p>
${owner ? html`<p class="notice">${t.enrol.alreadyMapped(owner)}</p>` : ""}
${formError(failure.message)}
${await captureForm(deps, ctx, enrolment, form, failure.errors ?? {})}`;
  } else {
    const ended = enrolment.state === "captured" ? "expired" : enrolment.state;
    body = html`<p class="notice" role="status">${t.enrol[ended]}</p>${armForm(ctx, t.enrol.arm)}`;
  }
  return sendPage(
    reply,
    page(ctx.frame, { title: t.enrol.title, active: "enrol", body }),
    failure.status ?? 200,
  );
}

export function registerEnrolPages(app: FastifyInstance, deps: ConsoleDeps): void {
  const introPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    error?: SafeHtml,
    status = 200,
  ) => {
    const ctx = pageContext(deps, request, reply);
    const body = html`<p>${ctx.t.enrol.intro}</p>${formError(error)}${armForm(ctx, ctx.t.enrol.arm)}`;
    return sendPage(
      reply,
      page(ctx.frame, { title: ctx.t.enrol.title, active: "enrol", body }),
      status,
    );
  };

  app.get("/enrol", (request, reply) => introPage(request, reply));

  app.post("/enrol/arm", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    try {
      const enrolment = await armEnrolment(ctx.admin);
      return reply.redirect(`/enrol/${encodeURIComponent(enrolment.armId)}`, 303);
    } catch (error) {
      if (!isAdminError(error)) throw error;
      return introPage(request, reply, adminErrorText(ctx.t, error), 503);
    }
  });

  app.get("/enrol/projects", async (request, reply) => {
    const email = normaliseEmail(String((request.query as { email?: unknown }).email ?? ""));
    const projects = await deps.directory.projects(email.ok ? email.email : undefined);
    return reply.send(projects.ok ? projects.items : []);
  });

  const armIdOf = (request: FastifyRequest) => (request.params as { armId: string }).armId;

  app.get("/enrol/:armId", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const enrolment = await enrolmentState(ctx.admin, armIdOf(request));
    const query = request.query as Record<string, unknown>;
    const form = Object.fromEntries(
      Object.entries(query).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    );
    return enrolmentPage(deps, request, reply, enrolment, form);
  });

  app.post("/enrol/:armId/cancel", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    await cancelEnrolment(ctx.admin, armIdOf(request));
    return redirectWith(reply, ctx.session, "/enrol", { kind: "ok", text: ctx.t.enrol.cancelled });
  });

  app.post("/enrol/:armId/save", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const form = formOf(request);
    const armId = armIdOf(request);
    const email = normaliseEmail(form.email ?? "");
    if (!email.ok) {
      const enrolment = await enrolmentState(ctx.admin, armId);
      return enrolmentPage(deps, request, reply, enrolment, form, {
        errors: { email: email.reason },
        status: 400,
      });
    }
    try {
      const result = await saveEnrolment(ctx.admin, {
        armId,
        email: email.email,
        name: form.name ?? "",
        timeTypeId: form.timeTypeId ?? "",
        projectId: form.projectId ?? "",
        check: deps.directory.catalog,
      });
      const text = [
        ctx.t.enrol.saved(badgeText(result.badge), result.email),
        ...result.warnings,
      ].join(" ");
      return redirectWith(reply, ctx.session, "/enrol", { kind: "ok", text });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      const enrolment = await enrolmentState(ctx.admin, armId);
      return enrolmentPage(deps, request, reply, enrolment, form, {
        message: adminErrorText(ctx.t, error),
        status: error.code === "ADM_SERVER_CHECK" ? 422 : 409,
      });
    }
  });
}
