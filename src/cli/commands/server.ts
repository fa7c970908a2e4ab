import type { Command } from "commander";
import { DateTime } from "luxon";
import type { LoadedConfig } from "../../config/load.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import type { GoodTimeClient, TimeEntry } from "../../goodtime/client.js";
import { GoodTimeError, type GoodTimeErrorKind } from "../../goodtime/errors.js";
import { createClientFromConfig } from "../../goodtime/from-config.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, commandLogger, loadConfigFor } from "../context.js";
import { renderJson, renderTable } from "../output.js";

const EXIT_BY_KIND: Record<GoodTimeErrorKind, ExitCode> = {
  retryable: ExitCode.network,
  ambiguous: ExitCode.network,
  endpoint: ExitCode.network,
  auth: ExitCode.auth,
  refused: ExitCode.refused,
};

const DATE_HELP =
  "ISO 8601 date or time, e.g. 2026-03-29 or 2026-03-29T07:59; local to terminal.timeZone unless it carries an offset";

interface JsonOption {
  json?: boolean;
}

interface Session {
  client: GoodTimeClient;
  loaded: LoadedConfig;
  zone: string;
}

/** Admin log lines go to stderr, silent unless TIMECLOCK_LOG_LEVEL asks for them. */

/** Runs `work` with a client built from the config; GoodTime failures become exit codes. */
async function withClient<T>(
  command: Command,
  context: CliContext,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const loaded = loadConfigFor(command, context);
  const client = createClientFromConfig(loaded, commandLogger(context, loaded));
  try {
    return await work({ client, loaded, zone: loaded.config.terminal.timeZone });
  } catch (error) {
    if (error instanceof GoodTimeError) {
      throw new CommandError(`${error.message} [${error.code}]`, EXIT_BY_KIND[error.kind]);
    }
    throw error;
  } finally {
    client.close();
  }
}

/** Reads a date option; a date alone means its midnight. */
export function parseDateOption(option: string, text: string, zone: string): Date {
  const parsed = DateTime.fromISO(text.trim(), { zone });
  if (!parsed.isValid) {
    throw new CommandError(
      `${option} ${JSON.stringify(text)} is not a date or time: expected ${DATE_HELP} (${zone}).`,
      ExitCode.usage,
    );
  }
  return parsed.toJSDate();
}

function localTime(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");
}

function entryRow(entry: TimeEntry, zone: string) {
  return {
    id: entry.id,
    user: entry.userEmail,
    start: localTime(entry.start, zone),
    end: localTime(entry.end, zone),
    timeType: entry.timeTypeId,
    project: entry.projectId,
    comment: entry.comment,
    locked: entry.locked,
  };
}

export function registerServerCommands(program: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);
  const server = program.command("server").description(describeCommand("server"));

  server
    .command("hello")
    .description("call sayhello, which needs no login: is the service reachable at server.baseUrl?")
    .option("--json", "print JSON")
    .action(async (options: JsonOption, command: Command) => {
      await withClient(command, context, async ({ client, loaded }) => {
        const answer = await client.hello();
        const baseUrl = loaded.config.server.baseUrl;
        out(options.json ? renderJson({ baseUrl, answer }) : `${baseUrl} answers ${answer}\n`);
      });
    });

  server
    .command("check")
    .description(
      "log in and call securedSayhello: are the login email, password and token header right?",
    )
    .option("--json", "print JSON")
    .action(async (options: JsonOption, command: Command) => {
      await withClient(command, context, async ({ client, loaded }) => {
        await client.login();
        const answer = await client.securedHello();
        const { loginEmail, baseUrl } = loaded.config.server;
        out(
          options.json
            ? renderJson({ baseUrl, loginEmail, answer })
            : `logged in to ${baseUrl} as ${loginEmail}; securedSayhello answers ${answer}\n`,
        );
      });
    });

  server
    .command("users")
    .description("list the account's users (login emails)")
    .option("--json", "print JSON")
    .action(async (options: JsonOption, command: Command) => {
      await withClient(command, context, async ({ client }) => {
        const users = await client.users();
        out(
          options.json
            ? renderJson(users)
            : renderTable(users.map(({ loginEmail }) => ({ loginEmail }))),
        );
      });
    });

  server
    .command("timetypes")
    .description("list the time types (v1.1: time categories) and their ids")
    .option("--json", "print JSON")
    .action(async (options: JsonOption, command: Command) => {
      await withClient(command, context, async ({ client }) => {
        const types = await client.timeTypes();
        out(
          options.json
            ? renderJson(types)
            : renderTable(types.map(({ id, name }) => ({ id, name }))),
        );
      });
    });

  server
    .command("projects")
    .description("list all projects, or those assigned to the user with login email EMAIL")
    .argument("[email]", "a user's login email")
    .option("--json", "print JSON")
    .action(async (email: string | undefined, options: JsonOption, command: Command) => {
      await withClient(command, context, async ({ client }) => {
        const projects = await client.projects(email);
        out(
          options.json
            ? renderJson(projects)
            : renderTable(projects.map(({ id, name }) => ({ id, name }))),
        );
      });
    });

  server
    .command("entries")
    .description("list a user's time entries that start in [--from, --to)")
    .argument("<email>", "the user's login email")
    .requiredOption("--from <date>", `first instant, ${DATE_HELP}`)
    .requiredOption("--to <date>", `end, exclusive, ${DATE_HELP}`)
    .option("--json", "print JSON (instants in UTC)")
    .action(
      async (
        email: string,
        options: JsonOption & { from: string; to: string },
        command: Command,
      ) => {
        await withClient(command, context, async ({ client, zone }) => {
          const from = parseDateOption("--from", options.from, zone);
          const to = parseDateOption("--to", options.to, zone);
          const entries = await client.timeEntries({ userEmail: email, from, to });
          out(
            options.json
              ? renderJson(entries)
              : renderTable(entries.map((entry) => entryRow(entry, zone))),
          );
        });
      },
    );

  server
    .command("create")
    .description(
      "book one time entry for a user (time type and project default to the config's entry section)",
    )
    .requiredOption("--user <email>", "the user's login email")
    .requiredOption("--start <time>", `start, ${DATE_HELP}`)
    .requiredOption("--end <time>", `end, ${DATE_HELP}`)
    .option("--time-type <id>", "time type id (default: entry.timeTypeId)")
    .option("--project <id>", "project id (default: entry.projectId)")
    .option("--comment <text>", "comment (v2.1 only; ignored with v1.1)")
    .option("--json", "print JSON")
    .action(async (options: CreateOptions, command: Command) => {
      await withClient(command, context, async ({ client, loaded, zone }) => {
        const start = parseDateOption("--start", options.start, zone);
        const end = parseDateOption("--end", options.end, zone);
        const created = await client.createTimeEntry({
          userEmail: options.user,
          start,
          end,
          timeTypeId: options.timeType ?? loaded.config.entry.timeTypeId,
          projectId: options.project ?? loaded.config.entry.projectId,
          ...(options.comment === undefined ? {} : { comment: options.comment }),
        });
        out(
          options.json
            ? renderJson(created)
            : `created entry ${created.id} for ${options.user}, ${localTime(start, zone)} to ${localTime(end, zone)}\n`,
        );
      });
    });

  server
    .command("delete")
    .description("delete the time entry with id ID")
    .argument("<id>", "the entry id, as listed by `timeclock server entries`")
    .option("--json", "print JSON")
    .action(async (id: string, options: JsonOption, command: Command) => {
      await withClient(command, context, async ({ client }) => {
        await client.deleteTimeEntry(id);
        out(options.json ? renderJson({ deleted: id }) : `deleted entry ${id}\n`);
      });
    });
}

interface CreateOptions extends JsonOption {
  user: string;
  start: string;
  end: string;
  timeType?: string;
  project?: string;
  comment?: string;
}
