import type { Command } from "commander";
import { normaliseEmail } from "../../admin/badge-rules.js";
import { localTime } from "../../admin/format.js";
import {
  AdminError,
  armEnrolment,
  cancelEnrolment,
  saveEnrolment,
  waitForEnrolment,
} from "../../admin/index.js";
import { formatBadge } from "../../badges/badge-id.js";
import { reportDaemon, withStore } from "../admin-session.js";
import type { CliContext } from "../context.js";
import { fetchServerCatalog } from "../server-catalog.js";

interface EnrolOptions {
  name?: string;
  timeType?: string;
  project?: string;
  check?: boolean;
}

/** `timeclock badges enrol EMAIL`: arm the running terminal's reader, wait for the tap, map it. */
export function registerEnrolCommand(badges: Command, context: CliContext): void {
  badges
    .command("enrol")
    .description(
      "map the next badge tapped at the terminal's reader to a user: arms the running terminal (that tap is captured, not journalled as a clock-in), waits up to a minute for the tap, then saves the mapping as `badges add` does. Needs the running terminal; run it as the service user (sudo -u timeclock timeclock ...). Ctrl+C cancels",
    )
    .argument("<email>", "the user's GoodTime login email (stored lower-cased)")
    .option("--name <name>", "a name for the badge, shown in logs and usable in entry comments")
    .option("--time-type <id>", "time type id for this badge's shifts (default: entry.timeTypeId)")
    .option("--project <id>", "project id for this badge's shifts (default: entry.projectId)")
    .option(
      "--check",
      "check the email, time type and project against GoodTime before saving; an unreachable server gives a warning",
    )
    .action(async (email: string, options: EnrolOptions, command: Command) => {
      const parsed = normaliseEmail(email);
      if (!parsed.ok) throw new AdminError("ADM_INVALID", parsed.reason);
      await withStore(command, context, "create", async (session) => {
        const armed = await armEnrolment(session.deps);
        context.stderr.write(
          `tap the badge for ${parsed.email} at the reader now (until ${localTime(new Date(armed.expiresAt), session.zone)}; Ctrl+C cancels)\n`,
        );
        const stop = new AbortController();
        const cancel = () => stop.abort();
        process.once("SIGINT", cancel);
        let ended: Awaited<ReturnType<typeof waitForEnrolment>>;
        try {
          ended = await waitForEnrolment(session.deps, armed.armId, { signal: stop.signal });
        } catch (error) {
          if (!stop.signal.aborted) throw error;
          await cancelEnrolment(session.deps, armed.armId);
          throw new AdminError("ADM_NO_TAP", "enrolment cancelled; nothing was saved");
        } finally {
          process.off("SIGINT", cancel);
        }
        if (ended.state !== "captured") {
          throw new AdminError(
            "ADM_NO_TAP",
            ended.state === "expired"
              ? "no badge was tapped within the minute; nothing was saved. Run the command again and tap the badge while it waits"
              : `the enrolment was ${ended.state} (another admin armed the reader); nothing was saved`,
          );
        }
        const result = await saveEnrolment(session.deps, {
          armId: armed.armId,
          email: parsed.email,
          ...(options.name !== undefined ? { name: options.name } : {}),
          ...(options.timeType !== undefined ? { timeTypeId: options.timeType } : {}),
          ...(options.project !== undefined ? { projectId: options.project } : {}),
          ...(options.check
            ? { check: () => fetchServerCatalog(session.loaded, session.logger) }
            : {}),
        });
        const shown = formatBadge(result.badge);
        context.stdout.write(
          result.previous
            ? `enrolled badge ${shown}: ${result.previous.email} -> ${result.email}\n`
            : `enrolled badge ${shown} -> ${result.email}\n`,
        );
        for (const warning of result.warnings) context.stderr.write(`warning: ${warning}\n`);
        reportDaemon(context, result.daemon);
      });
    });
}
