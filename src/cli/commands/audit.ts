import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { localTime } from "../../admin/format.js";
import { listAudit } from "../../admin/index.js";
import { withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { renderJson, wrapAfter } from "../output.js";
import { parseDateOption } from "./server.js";

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${JSON.stringify(text)} is not a whole number of 1 or more.`);
  }
  return value;
}

/** The details of an event as "key value" pairs on one line, for people. */
function detailText(detail: unknown): string {
  if (detail === null || typeof detail !== "object") return detail == null ? "" : String(detail);
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(
      ([key, value]) =>
        `${key} ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    )
    .join("; ");
}

interface AuditOptions {
  json?: boolean;
  since?: string;
  subject?: string;
  limit: number;
}

export function registerAuditCommand(program: Command, context: CliContext): void {
  program
    .command("audit")
    .description(describeCommand("audit"))
    .option(
      "--since <date>",
      "only actions at or after this date or instant (local unless it carries an offset)",
    )
    .option("--subject <id>", "only actions on this entry id, review id or badge ID")
    .option("--limit <n>", "the newest this many actions (1 or more)", positiveInteger, 200)
    .option("--json", "print JSON (instants in UTC, details as recorded)")
    .action(async (options: AuditOptions, command: Command) => {
      await withStore(command, context, "read", async ({ deps, zone }) => {
        const events = await listAudit(deps, {
          limit: options.limit,
          ...(options.since ? { since: parseDateOption("--since", options.since, zone) } : {}),
          ...(options.subject ? { subject: options.subject } : {}),
        });
        if (options.json) {
          context.stdout.write(renderJson(events));
          return;
        }
        if (events.length === 0) {
          context.stdout.write("(none)\n");
          return;
        }
        for (const event of events) {
          const at = event.door ? `  (at ${event.door})` : "";
          const head = `${localTime(new Date(event.at), zone)}  ${event.action}  ${event.subject}${at}`;
          const detail = detailText(event.detail);
          context.stdout.write(`${head}\n`);
          if (detail) {
            context.stdout.write(`${wrapAfter("    ", detail).join("\n")}\n`);
          }
        }
      });
    });
}
