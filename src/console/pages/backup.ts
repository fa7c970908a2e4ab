import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { backupCopy } from "../../admin/index.js";
import { type ConsoleDeps, pageContext, sendPage } from "../context.js";
import { html } from "../html.js";
import { page } from "../layout.js";

export function registerBackupPage(app: FastifyInstance, deps: ConsoleDeps): void {
  app.get("/backup", (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const body = html`<p>${ctx.t.backup.intro}</p><p><a class="button" href="/backup/download" download>${ctx.t.backup.download}</a></p>`;
    return sendPage(reply, page(ctx.frame, { title: ctx.t.backup.title, active: "backup", body }));
  });

  /** A fresh consistent copy, streamed and then deleted: nothing of it stays in the scratch dir. */
  app.get("/backup/download", async (request, reply) => {
    const ctx = pageContext(deps, request, reply);
    const dir = mkdtempSync(join(deps.scratchDir, "timeclock-backup-"));
    const remove = () => rmSync(dir, { recursive: true, force: true });
    try {
      const copy = await backupCopy(ctx.admin, dir);
      const stream = createReadStream(copy.path);
      stream.once("close", remove);
      deps.logger.info(
        { session: ctx.session.tag, bytes: copy.bytes },
        "console backup downloaded",
      );
      return reply
        .type("application/vnd.sqlite3")
        .header("content-disposition", `attachment; filename="${copy.fileName}"`)
        .header("content-length", copy.bytes)
        .send(stream);
    } catch (error) {
      remove();
      throw error;
    }
  });
}
