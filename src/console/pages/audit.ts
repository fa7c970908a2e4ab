import type { FastifyInstance } from "fastify";
import { listAudit } from "../../admin/index.js";
import { type ConsoleDeps, pageContext, sendPage } from "../context.js";
import { html } from "../html.js";
import { page } from "../layout.js";

/** Admin events shown, newest last as the record reads. */
const AUDIT_LIMIT = 300;

export function registerAuditPage(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/audit", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { t, f } = ctx;
    const events = (await listAudit(ctx.admin, { limit: AUDIT_LIMIT })).reverse();
    const body =
      events.length === 0
        ? html`<p>${t.audit.empty}</p>`
        : html`<div class="table-wrap" role="region" aria-label="${t.audit.title}" tabindex="0"><table>
<thead><tr><th scope="col">${t.audit.at}</th><th scope="col">${t.audit.who}</th><th scope="col">${t.audit.action}</th><th scope="col">${t.audit.subject}</th><th scope="col">${t.audit.detail}</th></tr></thead>
<tbody>${events.map(
            (event) =>
              html`<tr><td>${f.dateTime(event.at)}</td><td>${event.actor ?? "?"}${event.door ? html`<br><small>${event.door}</small>` : ""}</td><td><code>${event.action}</code></td><td><code>${event.subject}</code></td><td>${event.detail === null ? "" : html`<code class="detail">${JSON.stringify(event.detail)}</code>`}</td></tr>`,
          )}</tbody></table></div>`;
    return sendPage(reply, page(ctx.frame, { title: t.audit.title, active: "audit", body }));
  });
}
