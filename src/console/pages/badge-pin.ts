import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type BadgeView,
  clearBadgePin,
  isAdminError,
  listBadges,
  setBadgePin,
  unlockBadgePin,
} from "../../admin/index.js";
import {
  adminErrorText,
  type ConsoleDeps,
  formOf,
  type PageContext,
  pageContext,
  redirectWith,
} from "../context.js";
import { type FieldErrors, textField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField } from "../layout.js";

/**
 * The forgotten-badge PIN on a badge's page: set it (typed twice, never shown again), lift a
 * lockout, remove it. Through the same admin use cases as `timeclock badges pin`.
 */

/** A badge's PIN in words, for the list and the badge's page. */
export function pinState(ctx: PageContext, badge: BadgeView): string {
  const { t, f } = ctx;
  if (!badge.pin) return t.badges.pinNone;
  return badge.pin.lockedUntil
    ? t.badges.pinLocked(f.dateTime(badge.pin.lockedUntil))
    : t.badges.pinSet;
}

export function pinSection(ctx: PageContext, badge: BadgeView, errors: FieldErrors = {}): SafeHtml {
  const { t } = ctx;
  const base = `/badges/${badge.badgeId}/pin`;
  return html`<h2 id="pin">${t.badges.pinTitle}</h2>
<p role="status">${pinState(ctx, badge)}</p>
<form method="post" action="${base}" class="card">
${csrfField(ctx.frame.csrfToken)}
${textField({ name: "pin", label: t.badges.pinNew, type: "password", inputmode: "numeric", autocomplete: "new-password", required: true, hint: t.badges.pinHint, errors })}
${textField({ name: "pinAgain", label: t.badges.pinAgain, type: "password", inputmode: "numeric", autocomplete: "new-password", required: true, errors })}
<button type="submit">${t.badges.pinSave}</button>
</form>
${badge.pin?.lockedUntil ? html`<form method="post" action="${base}/unlock">${csrfField(ctx.frame.csrfToken)}<button type="submit" class="secondary">${t.badges.pinUnlock}</button></form>` : ""}
${badge.pin ? html`<form method="post" action="${base}/clear">${csrfField(ctx.frame.csrfToken)}<button type="submit" class="danger">${t.badges.pinClear}</button></form>` : ""}`;
}

export function registerBadgePinPages(
  app: FastifyInstance,
  deps: ConsoleDeps,
  showBadge: (
    request: FastifyRequest,
    reply: FastifyReply,
    badge: BadgeView,
    errors: FieldErrors,
  ) => unknown,
): void {
  const mapped = (request: FastifyRequest) => {
    const id = (request.params as { id: string }).id;
    return listBadges({ ...deps, actor: "console" }).find((badge) => badge.badgeId === id);
  };
  const target = (badge: BadgeView) =>
    badge.knownBits === 32
      ? { badge: badge.text, digits: "dec10" as const }
      : { badge: badge.text };

  app.post("/badges/:id/pin", async (request, reply) => {
    const badge = mapped(request);
    if (!badge) return reply.callNotFound();
    const ctx = pageContext(deps, request, reply);
    const form = formOf(request);
    if ((form.pin ?? "") !== (form.pinAgain ?? "")) {
      return showBadge(request, reply, badge, { pinAgain: ctx.t.badges.pinDiffer });
    }
    try {
      await setBadgePin(ctx.admin, { ...target(badge), pin: form.pin ?? "" });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      return showBadge(request, reply, badge, { pin: adminErrorText(ctx.t, error) });
    }
    return redirectWith(reply, ctx.session, `/badges/${badge.badgeId}#pin`, {
      kind: "ok",
      text: ctx.t.badges.pinSaved(badge.text),
    });
  });

  for (const action of ["unlock", "clear"] as const) {
    app.post(`/badges/:id/pin/${action}`, (request, reply) => {
      const badge = mapped(request);
      if (!badge) return reply.callNotFound();
      const ctx = pageContext(deps, request, reply);
      try {
        (action === "clear" ? clearBadgePin : unlockBadgePin)(ctx.admin, target(badge));
      } catch (error) {
        if (!isAdminError(error)) throw error;
        return redirectWith(reply, ctx.session, `/badges/${badge.badgeId}#pin`, {
          kind: "error",
          text: `${ctx.t.adminError[error.code]} ${error.message}`,
        });
      }
      return redirectWith(reply, ctx.session, `/badges/${badge.badgeId}#pin`, {
        kind: "ok",
        text: (action === "clear" ? ctx.t.badges.pinCleared : ctx.t.badges.pinUnlocked)(badge.text),
      });
    });
  }
}
