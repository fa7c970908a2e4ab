import type { FastifyInstance } from "fastify";
import { isAdminError, listTaps, type TapRow } from "../../admin/index.js";
import { adminErrorText, type ConsoleDeps, pageContext, sendPage } from "../context.js";
import { formError, textField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { page } from "../layout.js";

/** Taps shown at once, newest first. */
const TAPS_LIMIT = 500;

export function registerTapsPage(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/taps", (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { t, f } = ctx;
    const raw = request.query as Record<string, unknown>;
    const text = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string) : "");
    const query = {
      email: text("email"),
      badge: text("badge"),
      from: text("from"),
      to: text("to"),
    };
    let rows: TapRow[] = [];
    let problem: SafeHtml | undefined;
    try {
      rows = listTaps(ctx.admin, { ...query, limit: TAPS_LIMIT });
    } catch (error) {
      if (!isAdminError(error)) throw error;
      problem = adminErrorText(t, error);
    }
    const body = html`<form method="get" action="/taps" class="card inline" aria-label="${t.taps.filterTitle}">
${formError(problem)}
${textField({ name: "email", label: t.taps.person, type: "email", value: query.email, autocomplete: "off" })}
${textField({ name: "badge", label: t.taps.badge, value: query.badge, autocomplete: "off" })}
${textField({ name: "from", label: t.taps.from, type: "date", value: query.from })}
${textField({ name: "to", label: t.taps.to, type: "date", value: query.to })}
<button type="submit">${t.show}</button>
</form>
${
  rows.length === 0
    ? html`<p>${t.taps.empty}</p>`
    : html`${rows.length === TAPS_LIMIT ? html`<p>${t.taps.limited(TAPS_LIMIT)}</p>` : ""}<div class="table-wrap" role="region" aria-label="${t.taps.title}" tabindex="0"><table>
<thead><tr><th scope="col">${t.taps.at}</th><th scope="col">${t.taps.badge}</th><th scope="col">${t.taps.person}</th><th scope="col">${t.taps.outcome}</th><th scope="col">${t.taps.reason}</th><th scope="col">${t.taps.source}</th></tr></thead>
<tbody>${rows.map(
        (tap) =>
          html`<tr><td>${f.dateTime(tap.at)}</td><td><code>${tap.badgeText}</code></td><td class="wrap">${tap.email ?? ""}</td><td>${t.taps.outcomes[tap.outcome]}</td><td lang="en">${tap.reason ?? ""}</td><td>${tap.byPin ? html`<strong class="mark mark-pin">${t.taps.byPin}</strong>` : t.taps.byBadge}</td></tr>`,
      )}</tbody></table></div>`
}`;
    return sendPage(
      reply,
      page(ctx.frame, { title: t.taps.title, active: "taps", body }),
      problem ? 400 : 200,
    );
  });
}
