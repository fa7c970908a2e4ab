import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { readBadgeCsv, renderBadgeCsv } from "../../admin/badge-csv.js";
import {
  badgeText,
  checkAgainstServer,
  DIGIT_FORMS,
  type DigitForm,
  normaliseEmail,
  normaliseName,
  optionalText,
  parseAdminBadge,
  resolvePartial,
} from "../../admin/badge-rules.js";
import { localTime } from "../../admin/format.js";
import { writeExportFile } from "../../admin/output-file.js";
import { fetchServerCatalog } from "../../admin/server-catalog.js";
import { type AdminSession, withStore } from "../../admin/session.js";
import { type BadgeIdentity, formatBadge, type KnownBits } from "../../badges/badge-id.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { AdminEventLog } from "../../store/admin-events.js";
import {
  type Badge,
  BadgeRepository,
  type NewBadge,
  type UnknownBadge,
} from "../../store/badges.js";
import type { CliContext } from "../context.js";
import { renderJson, renderTable } from "../output.js";

interface DigitsOption {
  digits?: DigitForm;
}

interface AddOptions extends DigitsOption {
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
    "how to read a badge of 10 plain digits, which is valid as hex and as the card decimal: dec10 (the number printed on cards, low 32 bits) or hex10 (the default: the canonical ID the terminal logs and `badges unknown` lists)",
  ).choices(DIGIT_FORMS);

const CHECK_HELP =
  "check the email against the GoodTime account's users, and the time type and project ids against the server; an unreachable server gives a warning and the mapping is saved anyway";

function parseBadgeArgument(input: string, digits?: DigitForm): BadgeIdentity {
  const parsed = parseAdminBadge(input, digits);
  if (!parsed.ok) throw new CommandError(parsed.reason, ExitCode.usage);
  return { badgeId: parsed.id, knownBits: parsed.knownBits };
}

/** Full IDs the terminal knows: mapped badges and badges tapped at the reader but not mapped. */
function knownFullIds(badges: BadgeRepository): string[] {
  return [...badges.list(), ...badges.unknown()]
    .filter((badge) => badge.knownBits === 40)
    .map((badge) => badge.badgeId);
}

/** Taps only ever hold 24, 32 or 40 known bits; the journal's column is a plain integer. */
function identityOf(badge: UnknownBadge): BadgeIdentity {
  return { badgeId: badge.badgeId, knownBits: badge.knownBits as KnownBits };
}

function badgeRow(badge: Badge, zone: string) {
  return {
    badge: formatBadge(badge),
    email: badge.email,
    name: badge.name,
    timeType: badge.timeTypeId,
    project: badge.projectId,
    updated: localTime(new Date(badge.updatedAt), zone),
  };
}

/** Other mappings that a tap could also match, which makes such taps ambiguous. */
function overlapWarnings(badges: BadgeRepository, stored: BadgeIdentity): string[] {
  const others = badges
    .matching(stored.badgeId, stored.knownBits)
    .filter((badge) => badge.badgeId !== stored.badgeId);
  return others.map(
    (other) =>
      `badge ${formatBadge(stored)} shares its known bits with the mapping ${formatBadge(other)} (${other.email}); a tap that carries only the bits both know is refused as ambiguous. Remove the wrong one with timeclock badges remove`,
  );
}

function storeBadges(session: AdminSession, badges: readonly NewBadge[], via: string) {
  const repository = new BadgeRepository(session.db, session.clock);
  const events = new AdminEventLog(session.db);
  const now = session.clock.now();
  const outcomes: { badge: NewBadge; outcome: "added" | "updated"; previous?: Badge }[] = [];
  session.db
    .transaction(() => {
      const before = new Map(repository.list().map((known) => [known.badgeId, known]));
      for (const badge of badges) {
        const previous = before.get(badge.badgeId);
        const outcome = repository.put(badge);
        events.append(
          outcome === "added" ? "badge.add" : "badge.update",
          badge.badgeId,
          { via, knownBits: badge.knownBits, email: badge.email, previousEmail: previous?.email },
          now,
        );
        outcomes.push(previous ? { badge, outcome, previous } : { badge, outcome });
      }
    })
    .immediate();
  return outcomes;
}

export function registerBadgeCommands(program: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);
  const warn = (text: string) => context.stderr.write(`warning: ${text}\n`);
  const badges = program
    .command("badges")
    .description(
      "map badges to GoodTime users: add, list, remove, import and export CSV, list unknown badges (works while the terminal runs; it sees changes at the next tap)",
    );

  badges
    .command("add")
    .description(
      "map a badge to a user's login email, or change its mapping. BADGE is 10 hex digits (0F00A1B2C3), the 10-digit card decimal or facility,card; a partial form that matches exactly one full ID already known is stored as that full ID",
    )
    .argument(
      "<badge>",
      "the badge, e.g. 0F00A1B2C3, 0010597059 (with --digits dec10) or 161,45763",
    )
    .argument("<email>", "the user's GoodTime login email (stored lower-cased)")
    .option("--name <name>", "a name for the badge, shown in logs and usable in entry comments")
    .option("--time-type <id>", "time type id for this badge's shifts (default: entry.timeTypeId)")
    .option("--project <id>", "project id for this badge's shifts (default: entry.projectId)")
    .option("--check", CHECK_HELP)
    .addOption(digitsOption())
    .action(async (badgeInput: string, emailInput: string, options: AddOptions, command) => {
      const typed = parseBadgeArgument(badgeInput, options.digits);
      const email = normaliseEmail(emailInput);
      if (!email.ok) throw new CommandError(email.reason, ExitCode.usage);
      const name = normaliseName(options.name);
      if (!name.ok) throw new CommandError(`--name: ${name.reason}`, ExitCode.usage);
      const fields = {
        email: email.email,
        name: name.name,
        timeTypeId: optionalText(options.timeType),
        projectId: optionalText(options.project),
      };
      await withStore(command, context, async (session) => {
        if (options.check) {
          const checked = await fetchServerCatalog(session.loaded, session.logger);
          if (!checked.ok) warn(checked.warning);
          const problems = checked.ok ? checkAgainstServer(fields, checked.catalog) : [];
          if (problems.length > 0) {
            throw new CommandError(
              `badge ${JSON.stringify(badgeInput)} not saved: ${problems.join("; ")}`,
              ExitCode.refused,
            );
          }
        }
        const repository = new BadgeRepository(session.db, session.clock);
        const badge = resolvePartial(typed, knownFullIds(repository));
        const [result] = storeBadges(session, [{ ...badge, ...fields }], "add");
        const shown = formatBadge(badge);
        out(
          result?.previous
            ? `updated badge ${shown}: ${result.previous.email} -> ${fields.email}\n`
            : `added badge ${shown} -> ${fields.email}\n`,
        );
        if (badge.knownBits !== typed.knownBits) {
          out(`(${JSON.stringify(badgeInput)} matched the known full ID ${badge.badgeId})\n`);
        } else if (badge.knownBits !== 40) {
          out(
            `(stored as a partial ID: no single known full ID matches ${JSON.stringify(badgeInput)}; taps of any badge with these low ${badge.knownBits} bits will match it)\n`,
          );
        }
        for (const warning of overlapWarnings(repository, badge)) warn(warning);
      });
    });

  badges
    .command("list")
    .description("list the badge mappings, by email")
    .option("--json", "print JSON (badge IDs in canonical form with their known bits)")
    .action(async (options: { json?: boolean }, command) => {
      await withStore(command, context, ({ db, clock, zone }) => {
        const list = new BadgeRepository(db, clock).list();
        out(
          options.json
            ? renderJson(list.map((badge) => ({ ...badge, text: badgeText(badge) })))
            : renderTable(list.map((badge) => badgeRow(badge, zone))),
        );
      });
    });

  badges
    .command("remove")
    .description("remove the mapping of a badge; its taps stay in the journal")
    .argument("<badge>", "the badge, in any form that `badges add` accepts")
    .addOption(digitsOption())
    .action(async (badgeInput: string, options: DigitsOption, command) => {
      const typed = parseBadgeArgument(badgeInput, options.digits);
      await withStore(command, context, ({ db, clock }) => {
        const repository = new BadgeRepository(db, clock);
        const matches = repository.matching(typed.badgeId, typed.knownBits);
        const exact = matches.find((badge) => badge.badgeId === typed.badgeId);
        const target = exact ?? (matches.length === 1 ? matches[0] : undefined);
        if (!target && matches.length === 0) {
          throw new CommandError(
            `badge ${JSON.stringify(badgeInput)} is not mapped, so there is nothing to remove; see timeclock badges list`,
            ExitCode.refused,
          );
        }
        if (!target) {
          throw new CommandError(
            `badge ${JSON.stringify(badgeInput)} matches several mappings (${matches.map((badge) => `${formatBadge(badge)} ${badge.email}`).join(", ")}); name the one to remove by its full 10-hex ID`,
            ExitCode.refused,
          );
        }
        const events = new AdminEventLog(db);
        db.transaction(() => {
          repository.remove(target.badgeId);
          events.append(
            "badge.remove",
            target.badgeId,
            { knownBits: target.knownBits, email: target.email },
            clock.now(),
          );
        }).immediate();
        out(`removed badge ${formatBadge(target)} (${target.email})\n`);
      });
    });

  badges
    .command("import")
    .description(
      "add or update the badges of a CSV file with the header badge,email,name,timeTypeId,projectId (RFC 4180 quoting). The whole file is checked first; any bad line is reported as `line N: ...` and nothing is written",
    )
    .argument("<file>", "the CSV file, e.g. as written by `timeclock badges export`")
    .option("--check", CHECK_HELP)
    .option("--dry-run", "check the file and report what would change, write nothing")
    .addOption(digitsOption())
    .action(async (file: string, options: ImportOptions, command) => {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new CommandError(
          `cannot read the badge file ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`,
          ExitCode.usage,
        );
      }
      const { rows, problems } = readBadgeCsv(text, options.digits);
      await withStore(command, context, async (session) => {
        if (options.check && problems.length === 0) {
          const checked = await fetchServerCatalog(session.loaded, session.logger);
          if (!checked.ok) warn(checked.warning);
          else {
            for (const row of rows) {
              const found = checkAgainstServer(row, checked.catalog);
              if (found.length > 0) problems.push(`line ${row.line}: ${found.join("; ")}`);
            }
          }
        }
        if (problems.length > 0) {
          for (const problem of problems) context.stderr.write(`${file}: ${problem}\n`);
          throw new CommandError(
            `import of ${JSON.stringify(file)} refused: ${problems.length} bad line${problems.length === 1 ? "" : "s"}; nothing was written. Fix the lines above and import again`,
            ExitCode.refused,
          );
        }
        const repository = new BadgeRepository(session.db, session.clock);
        const known = knownFullIds(repository);
        const resolved = rows.map((row) => ({
          ...resolvePartial(row.badge, known),
          email: row.email,
          name: row.name,
          timeTypeId: row.timeTypeId,
          projectId: row.projectId,
        }));
        if (options.dryRun) {
          const mapped = new Set(repository.list().map((badge) => badge.badgeId));
          const updates = resolved.filter((badge) => mapped.has(badge.badgeId)).length;
          out(
            `${file} is valid: ${resolved.length - updates} to add, ${updates} to update (dry run, nothing written)\n`,
          );
          return;
        }
        const outcomes = storeBadges(session, resolved, `import ${file}`);
        const added = outcomes.filter((result) => result.outcome === "added").length;
        out(
          `imported ${outcomes.length} badge${outcomes.length === 1 ? "" : "s"} from ${file}: ${added} added, ${outcomes.length - added} updated\n`,
        );
        for (const badge of resolved) {
          for (const warning of overlapWarnings(repository, badge)) warn(warning);
        }
      });
    });

  badges
    .command("export")
    .description(
      "write the badge mappings as CSV (badge,email,name,timeTypeId,projectId) that `badges import --digits dec10` reads back; partial IDs are written as the card decimal or facility,card",
    )
    .option("--out <file>", "write to this file (created with mode 600) instead of stdout")
    .action(async (options: { out?: string }, command) => {
      await withStore(command, context, ({ db, clock }) => {
        const csv = renderBadgeCsv(new BadgeRepository(db, clock).list());
        if (options.out === undefined) {
          out(csv);
          return;
        }
        writeExportFile(options.out, csv);
      });
    });

  badges
    .command("unknown")
    .description(
      "list badges that were tapped but are not mapped: how often, first and last time (local time)",
    )
    .option("--json", "print JSON (instants in UTC)")
    .action(async (options: { json?: boolean }, command) => {
      await withStore(command, context, ({ db, clock, zone }) => {
        const unknown = new BadgeRepository(db, clock).unknown();
        out(
          options.json
            ? renderJson(
                unknown.map((badge) => ({
                  ...badge,
                  text: badgeText(identityOf(badge)),
                })),
              )
            : renderTable(
                unknown.map((badge) => ({
                  badge: formatBadge(identityOf(badge)),
                  taps: badge.taps,
                  first: localTime(new Date(badge.firstAt), zone),
                  last: localTime(new Date(badge.lastAt), zone),
                })),
              ),
        );
      });
    });
}
