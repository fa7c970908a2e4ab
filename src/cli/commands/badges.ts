import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { localTime } from "../../admin/format.js";
import {
  addBadge,
  type CatalogSource,
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
import { formatBadge } from "../../badges/badge-id.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { type AdminSession, reportDaemon, withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { renderJson, renderTable } from "../output.js";
import { writeExportFile } from "../output-file.js";
import { fetchServerCatalog } from "../server-catalog.js";
import { registerEnrolCommand } from "./badges-enrol.js";
import { registerPinCommand } from "./badges-pin.js";

interface DigitsOption {
  digits?: DigitForm;
}

interface MappingOptions extends DigitsOption {
  name?: string;
  timeType?: string;
  project?: string;
  check?: boolean;
}

interface ImportOptions extends DigitsOption {
  check?: boolean;
  dryRun?: boolean;
}

const digitsOption = () =>
  new Option(
    "--digits <form>",
    "how to read a badge of 10 plain digits, which is valid as hex and as the card decimal: dec10 (the number printed on the card, low 32 bits) or hex10 (the canonical ID the terminal logs and `badges unknown` lists). Without it, the reading the terminal has seen is taken and named; when it has seen neither or both, the command asks",
  ).choices(DIGIT_FORMS);

const CHECK_HELP =
  "check the email against the GoodTime account's users, and the time type and project ids against the server; an unreachable server gives a warning and the mapping is saved anyway";

function catalogFor(session: AdminSession, wanted: boolean | undefined): CatalogSource | undefined {
  return wanted ? () => fetchServerCatalog(session.loaded, session.logger) : undefined;
}

export function registerBadgeCommands(program: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);
  const warn = (text: string) => context.stderr.write(`warning: ${text}\n`);
  const badges = program.command("badges").description(describeCommand("badges"));

  badges
    .command("add")
    .description(
      "map a badge to a user's login email, or replace its mapping. BADGE is 10 hex digits (0F00A1B2C3), the 10-digit card decimal or facility,card; a partial form that matches exactly one full ID already known is stored as that full ID",
    )
    .argument(
      "<badge>",
      "the badge, e.g. 0F00A1B2C3, 0x0010597059, 0010597059 (see --digits) or 161,45763",
    )
    .argument("<email>", "the user's GoodTime login email (stored lower-cased)")
    .option("--name <name>", "a name for the badge, shown in logs and usable in entry comments")
    .option("--time-type <id>", "time type id for this badge's shifts (default: entry.timeTypeId)")
    .option("--project <id>", "project id for this badge's shifts (default: entry.projectId)")
    .option("--check", CHECK_HELP)
    .addOption(digitsOption())
    .action(async (badge: string, email: string, options: MappingOptions, command: Command) => {
      await withStore(command, context, "create", async (session) => {
        const result = await addBadge(session.deps, {
          badge,
          email,
          ...(options.digits ? { digits: options.digits } : {}),
          ...(options.name !== undefined ? { name: options.name } : {}),
          ...(options.timeType !== undefined ? { timeTypeId: options.timeType } : {}),
          ...(options.project !== undefined ? { projectId: options.project } : {}),
          ...(options.check ? { check: catalogFor(session, true) } : {}),
        });
        const shown = formatBadge(result.badge);
        out(
          result.previous
            ? `updated badge ${shown}: ${result.previous.email} -> ${result.email}\n`
            : `added badge ${shown} -> ${result.email}\n`,
        );
        for (const note of result.notes) out(`(${note})\n`);
        for (const warning of result.warnings) warn(warning);
        reportDaemon(context, result.daemon);
      });
    });

  badges
    .command("edit")
    .description(
      "change some fields of an existing mapping and keep the others; an empty value (--project '') clears a name, time type or project",
    )
    .argument("<badge>", "the badge, in any form that `badges add` accepts")
    .option("--email <email>", "the user's GoodTime login email")
    .option("--name <name>", "a name for the badge")
    .option("--time-type <id>", "time type id for this badge's shifts")
    .option("--project <id>", "project id for this badge's shifts")
    .option("--check", CHECK_HELP)
    .addOption(digitsOption())
    .action(
      async (badge: string, options: MappingOptions & { email?: string }, command: Command) => {
        if (
          [options.email, options.name, options.timeType, options.project].every(
            (v) => v === undefined,
          )
        ) {
          throw new CommandError(
            "nothing to change: give --email, --name, --time-type or --project",
            ExitCode.usage,
          );
        }
        await withStore(command, context, "write", async (session) => {
          const result = await editBadge(session.deps, {
            badge,
            ...(options.digits ? { digits: options.digits } : {}),
            ...(options.email !== undefined ? { email: options.email } : {}),
            ...(options.name !== undefined ? { name: options.name } : {}),
            ...(options.timeType !== undefined ? { timeTypeId: options.timeType } : {}),
            ...(options.project !== undefined ? { projectId: options.project } : {}),
            ...(options.check ? { check: catalogFor(session, true) } : {}),
          });
          const { after } = result;
          out(
            `changed badge ${formatBadge(after)}: ${after.email}, name ${after.name ?? "-"}, time type ${after.timeTypeId ?? "(entry.timeTypeId)"}, project ${after.projectId ?? "(entry.projectId)"}\n`,
          );
          for (const warning of result.warnings) warn(warning);
          reportDaemon(context, result.daemon);
        });
      },
    );

  badges
    .command("list")
    .description("list the badge mappings, by email")
    .option("--json", "print JSON (badge IDs in canonical form with their known bits)")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, context, "read", ({ deps, zone }) => {
        const list = listBadges(deps);
        out(
          options.json
            ? renderJson(list)
            : renderTable(
                list.map((badge) => ({
                  badge: formatBadge(badge),
                  email: badge.email,
                  name: badge.name,
                  timeType: badge.timeTypeId,
                  project: badge.projectId,
                  pin: badge.pin
                    ? badge.pin.lockedUntil
                      ? `locked until ${localTime(new Date(badge.pin.lockedUntil), zone)}`
                      : "set"
                    : null,
                  updated: localTime(new Date(badge.updatedAt), zone),
                })),
              ),
        );
      });
    });

  badges
    .command("remove")
    .description("remove the mapping of a badge; its taps stay in the journal")
    .argument("<badge>", "the badge, in any form that `badges add` accepts")
    .addOption(digitsOption())
    .action(async (badge: string, options: DigitsOption, command: Command) => {
      await withStore(command, context, "write", async ({ deps }) => {
        const result = await removeBadge(deps, {
          badge,
          ...(options.digits ? { digits: options.digits } : {}),
        });
        out(`removed badge ${formatBadge(result.removed)} (${result.removed.email})\n`);
        reportDaemon(context, result.daemon);
      });
    });

  badges
    .command("import")
    .description(
      "add or update the badges of a CSV file with the header badge,email,name,timeTypeId,projectId (RFC 4180 quoting). The whole file is checked first; any bad line is reported as `line N: ...` and nothing is written (exit 80)",
    )
    .argument("<file>", "the CSV file, e.g. as written by `timeclock badges export`")
    .option("--check", CHECK_HELP)
    .option("--dry-run", "check the file and report what would change, write nothing")
    .addOption(digitsOption())
    .action(async (file: string, options: ImportOptions, command: Command) => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new CommandError(
          `cannot read the badge file ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`,
          ExitCode.noInput,
        );
      }
      await withStore(command, context, "create", async (session) => {
        const result = await importBadges(session.deps, {
          text,
          source: file,
          ...(options.digits ? { digits: options.digits } : {}),
          dryRun: options.dryRun ?? false,
          ...(options.check ? { check: catalogFor(session, true) } : {}),
        }).catch((error: unknown) => {
          if (!isAdminError(error, "ADM_BAD_FILE")) throw error;
          for (const problem of error.problems) context.stderr.write(`${file}: ${problem}\n`);
          throw new CommandError(error.message, ExitCode.badInput);
        });
        for (const warning of result.warnings) warn(warning);
        if (result.dryRun) {
          out(
            `${file} is valid: ${result.added} to add, ${result.updated} to update (dry run, nothing written)\n`,
          );
          return;
        }
        const total = result.added + result.updated;
        out(
          `imported ${total} badge${total === 1 ? "" : "s"} from ${file}: ${result.added} added, ${result.updated} updated\n`,
        );
        reportDaemon(context, result.daemon);
      });
    });

  badges
    .command("export")
    .description(
      "write the badge mappings as CSV (badge,email,name,timeTypeId,projectId) that `badges import` reads back; partial IDs are written as the card decimal or facility,card",
    )
    .option("--out <file>", "write to this file (created with mode 600) instead of stdout")
    .action(async (options: { out?: string }, command: Command) => {
      await withStore(command, context, "read", ({ deps }) => {
        const csv = exportBadges(deps);
        if (options.out === undefined) out(csv);
        else writeExportFile(options.out, csv);
      });
    });

  badges
    .command("unknown")
    .description(
      "list badges that were tapped but are not mapped: how often, first and last time (local time); `status` names only those tapped after this list was last shown",
    )
    .option("--json", "print JSON (instants in UTC)")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, context, "read", ({ deps, zone }) => {
        const unknown = unknownBadges(deps, { markSeen: true });
        out(
          options.json
            ? renderJson(unknown)
            : renderTable(
                unknown.map((badge) => ({
                  badge: formatBadge(badge),
                  taps: badge.taps,
                  first: localTime(new Date(badge.firstAt), zone),
                  last: localTime(new Date(badge.lastAt), zone),
                })),
              ),
        );
      });
    });

  registerEnrolCommand(badges, context);
  registerPinCommand(badges, context);
}
