import type { Command } from "commander";
import { systemClock } from "../../core/clock.js";
import { CommandError, ExitCode, ExitStatus } from "../../core/exit-codes.js";
import {
  assessSite,
  readSiteOverview,
  renderSiteOverview,
  siteLevel,
} from "../../site/overview.js";
import { describeSite } from "../../store/site/connection.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, commandLogger, loadConfigFor } from "../context.js";
import { renderJson } from "../output.js";

const STATUS_HELP = `
Reads the site database named by site.database (as this door's role, with the password from
TIMECLOCK_SITE_DB_PASSWORD, the systemd credential sitedbpassword or site.databasePasswordFile)
and shows every door of the site with its last contact and the taps it paired while cut off and
has not merged yet, then the site's backlog: entries to book, claimed by a door now, held for a
clock-out, refused, booked, and open reviews. Any door shows the whole site.

Exit status: 0 when nothing needs attention, 1 on a warning (a door silent for more than three
heartbeats, taps not merged, refused entries, open reviews, an entry unbooked for over an hour),
2 when the site database cannot be reached or has no schema yet, 64 when this terminal is not in
site mode (no site section in the config), 78 when the config is invalid.`;

export function registerSiteCommands(program: Command, context: CliContext): void {
  const site = program.command("site").description(describeCommand("site"));
  site
    .command("status")
    .description(
      "show the site: its database, every door's last contact and unmerged taps, and the site's backlog; exits 0 ok, 1 warning, 2 critical",
    )
    .option("--json", "print JSON (instants in UTC), with level ok, warning or critical")
    .addHelpText("after", STATUS_HELP)
    .action(async (options: { json?: boolean }, command: Command) => {
      const loaded = loadConfigFor(command, context);
      const config = loaded.config.site;
      if (!config) {
        throw new CommandError(
          `${loaded.path} has no site section: this terminal runs alone on its own SQLite journal; to join a site, add "site": { "database": ..., "terminalId": ... } (docs/site.md)`,
          ExitCode.usage,
        );
      }
      const clock = context.clock ?? systemClock;
      let overview: Awaited<ReturnType<typeof readSiteOverview>>;
      try {
        overview = await readSiteOverview(
          { config, password: loaded.site?.password },
          commandLogger(context, loaded),
          clock.now(),
        );
      } catch (error) {
        throw new CommandError(
          `the site database ${describeSite(config)} does not answer: ${(error as Error).message}; check that PostgreSQL runs there and this door may reach it, then timeclock doctor`,
          ExitCode.critical,
        );
      }
      const attention = assessSite(overview);
      const level = siteLevel(attention);
      context.stdout.write(
        options.json
          ? renderJson({ level, attention, ...overview })
          : renderSiteOverview(overview, attention, loaded.config.terminal.timeZone),
      );
      if (level === "warning") throw new ExitStatus(ExitCode.warning);
      if (level === "critical") throw new ExitStatus(ExitCode.critical);
    });
}
