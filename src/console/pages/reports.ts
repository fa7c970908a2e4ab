import type { FastifyInstance, FastifyRequest } from "fastify";
import { DateTime } from "luxon";
import {
  type HoursCell,
  type HoursReport,
  hoursReport,
  hoursReportCsv,
  isAdminError,
  REPORT_PERIODS,
  type ReportPeriod,
} from "../../admin/index.js";
import {
  adminErrorText,
  type ConsoleDeps,
  type PageContext,
  pageContext,
  sendPage,
} from "../context.js";
import { formError, selectField, textField } from "../forms.js";
import { html, type SafeHtml } from "../html.js";
import { page } from "../layout.js";

interface ReportQuery {
  from: string;
  to: string;
  period: ReportPeriod;
}

/** The query, with this month so far as the default range. */
function queryOf(request: FastifyRequest, zone: string, now: Date): ReportQuery {
  const raw = request.query as Record<string, unknown>;
  const today = DateTime.fromJSDate(now, { zone });
  const text = (value: unknown, fallback: string) =>
    typeof value === "string" && value.trim() !== "" ? value.trim() : fallback;
  return {
    from: text(raw.from, today.startOf("month").toISODate() ?? ""),
    to: text(raw.to, today.toISODate() ?? ""),
    period: REPORT_PERIODS.find((period) => period === raw.period) ?? "day",
  };
}

function marks(t: PageContext["t"], cell: HoursCell): SafeHtml {
  return html`${cell.unbooked > 0 ? html`<span class="mark mark-unbooked">${t.reports.unbookedMark(cell.unbooked)}</span>` : ""}${cell.openShift ? html`<span class="mark mark-open">${t.reports.openMark}</span>` : ""}${cell.byPin > 0 ? html`<span class="mark mark-pin">${t.reports.pinMark(cell.byPin)}</span>` : ""}`;
}

function reportTable(ctx: PageContext, report: HoursReport): SafeHtml {
  const { t, f } = ctx;
  if (report.rows.length === 0) return html`<p>${t.reports.empty}</p>`;
  const line = (cell: HoursCell, period: string, total: boolean) =>
    html`<tr${total ? html` class="total"` : ""}><th scope="row" class="wrap">${cell.email}</th><td class="nowrap">${period}</td><td class="num">${f.hours(cell.minutes)}</td><td class="num">${cell.entries}</td><td>${marks(t, cell)}</td></tr>`;
  const byPerson = report.totals.map(
    (sum) =>
      html`${report.rows.filter((row) => row.email === sum.email).map((row) => line(row, row.period, false))}${line(sum, t.reports.total, true)}`,
  );
  return html`<div class="table-wrap" role="region" aria-label="${t.reports.title}" tabindex="0"><table class="report">
<thead><tr><th scope="col">${t.reports.person}</th><th scope="col">${t.reports.periodColumn}</th><th scope="col">${t.reports.hours}</th><th scope="col">${t.reports.entries}</th><th scope="col">${t.reports.marks}</th></tr></thead>
<tbody>${byPerson}</tbody>
<tfoot>${line({ ...report.total, email: t.reports.allTotal }, t.reports.total, true)}</tfoot>
</table></div>`;
}

export function registerReportPages(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/reports", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const { t } = ctx;
    const query = queryOf(request, deps.config.terminal.timeZone, deps.clock.now());
    let result: SafeHtml;
    let status = 200;
    try {
      const report = await hoursReport(ctx.admin, query);
      const csv = `/reports.csv?${new URLSearchParams({ ...query }).toString()}`;
      result = html`<p>${t.reports.legend}</p>${reportTable(ctx, report)}<p><a class="button" href="${csv}" download>${t.reports.csv}</a></p>`;
    } catch (error) {
      if (!isAdminError(error)) throw error;
      result = formError(adminErrorText(t, error));
      status = error.code === "ADM_NO_SITE" ? 503 : 400;
    }
    const body = html`<form method="get" action="/reports" class="card inline">
${textField({ name: "from", label: t.reports.from, type: "date", value: query.from, required: true })}
${textField({ name: "to", label: t.reports.to, type: "date", value: query.to, required: true })}
${selectField({ name: "period", label: t.reports.period, value: query.period, options: REPORT_PERIODS.map((period) => ({ value: period, label: t.reports.periods[period] })) })}
<button type="submit">${t.reports.show}</button>
</form>
${result}`;
    return sendPage(
      reply,
      page(ctx.frame, { title: t.reports.title, active: "reports", body }),
      status,
    );
  });

  app.get("/reports.csv", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const query = queryOf(request, deps.config.terminal.timeZone, deps.clock.now());
    const report = await hoursReport(ctx.admin, query);
    const name = `hours-${query.period}-${query.from}-${query.to}.csv`.replace(/[^\w.-]/g, "_");
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${name}"`)
      .send(hoursReportCsv(report));
  });
}
