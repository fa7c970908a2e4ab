import { spawn } from "node:child_process";
import type { Command } from "commander";
import { systemClock } from "../../core/clock.js";
import { CommandError, ExitCode, ExitStatus } from "../../core/exit-codes.js";
import { createLogger, LOG_LEVELS, type LogLevel } from "../../core/logger.js";
import { doctorLevel, runDoctor } from "../../doctor/runner.js";
import type { CheckResult, DoctorDeps } from "../../doctor/types.js";
import { createClientFromConfig } from "../../goodtime/from-config.js";
import { discoverChips } from "../../gpio/open.js";
import { openExistingDatabase } from "../../store/database.js";
import { createClockProbe } from "../../system/clock-state.js";
import { describeCommand } from "../command-registry.js";
import { type CliContext, optionsOf, selfCommand } from "../context.js";
import { renderJson } from "../output.js";

interface DoctorOptions {
  json?: boolean;
  writeTest?: boolean;
  save?: boolean;
}

const HELP_AFTER = `
Checks, in order: configuration, data directory and database, reader device, GPIO lines, clock,
web console, site database (site mode: reached with the door's role, schema version, least
rights, TLS off the loopback), server reachable, credentials, time types and projects, badge users, and with --write-test a test
entry that is booked for server.loginEmail, read back and deleted. Where the server refuses or
misreads the configured time format (or, for API v1.1, time type field), the write test tries the
others the same way and names the one the server took; --save writes it into the config file. Checks that need the server are
skipped when it cannot be reached; a failed login skips those after it.

Run it as the service user (sudo -u timeclock timeclock doctor) so that file permissions are judged
as the service sees them; a device only the service's extra groups (dialout, gpio, input, from
SupplementaryGroups= in timeclock.service) may use is then a warning, not a failure.

Run by an admin on the installed layout, it reads the API password as the service gets it: as
root from the credential's source /etc/timeclock/apipassword, else it prints the systemd-run line
that runs it as the service user with the credential. \`config check\` judges the password alike.

Exit status: 0 when every check is ok, 1 when a check warns, 2 when a check failed, 64 on a usage
error (the same levels as \`timeclock status\`).`;

function renderText(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.check.length));
  const lines = results.flatMap((result) => {
    const head = `${result.status.padEnd(4)}  ${result.check.padEnd(width)}  ${result.finding}`;
    return result.fix ? [head, `${" ".repeat(width + 8)}fix: ${result.fix}`] : [head];
  });
  const count = (status: CheckResult["status"]) =>
    results.filter((result) => result.status === status).length;
  const summary = `${count("ok")} ok, ${count("warn")} warn, ${count("fail")} fail, ${count("skip")} skipped`;
  return `${lines.join("\n")}\n${summary}\n`;
}

export function registerDoctorCommands(program: Command, context: CliContext): void {
  program
    .command("doctor")
    .description(describeCommand("doctor"))
    .option("--json", "print an array of { check, status, finding, fix? }")
    .option(
      "--write-test",
      "also book a 5-minute test entry for server.loginEmail 35 or more days back at 03:00, read it back and delete it",
    )
    .option(
      "--save",
      "with --write-test: write the time format and time type field the server took into the config file (the old file is kept as a dated .bak)",
    )
    .addHelpText("after", HELP_AFTER)
    .action(async (options: DoctorOptions, command: Command) => {
      if (options.save && !options.writeTest) {
        throw new CommandError(
          "--save needs --write-test, which finds what to save",
          ExitCode.usage,
        );
      }
      const { config: configPath } = optionsOf<DoctorOptions>(command);
      const wanted = context.env.TIMECLOCK_LOG_LEVEL;
      const level = LOG_LEVELS.find((name) => name === wanted) ?? ("silent" satisfies LogLevel);
      // The config is not read yet, so badge IDs are redacted whatever log.redactBadges says.
      const logger = createLogger({ level, redactBadges: true }, context.stderr);
      const fsRoot = "/";
      const deps: DoctorDeps = {
        configPath,
        env: context.env,
        fsRoot,
        clock: context.clock ?? systemClock,
        logger,
        clockProbe: createClockProbe({ fsRoot }),
        scanChips: () => discoverChips(fsRoot, spawn),
        createClient: (loaded) => createClientFromConfig(loaded, logger),
        openDb: openExistingDatabase,
        writeTest: options.writeTest ?? false,
        selfCommand: selfCommand(),
        save: options.save ?? false,
      };
      const results = await runDoctor(deps);
      context.stdout.write(options.json ? renderJson(results) : renderText(results));
      const verdict = doctorLevel(results);
      if (verdict === "critical") {
        const failed = results.filter((result) => result.status === "fail");
        throw new CommandError(
          `doctor found ${failed.length} failing check(s): ${failed.map((result) => result.check).join(", ")}`,
          ExitCode.critical,
        );
      }
      if (verdict === "warning") throw new ExitStatus(ExitCode.warning);
    });
}
