import { type Command, Option } from "commander";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { createLogger, LOG_LEVELS, type LogLevel } from "../../core/logger.js";
import {
  type LoginResponseForm,
  SEED_ADMIN,
  type Simulator,
  startSimulator,
} from "../../simulator/index.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { wholeNumberOption } from "../options.js";
import { untilStopSignal } from "../signals.js";

interface SimulatorCommandOptions {
  port: string;
  host: string;
  state?: string;
  seed: "company" | "empty";
  tokenLifetime: string;
  loginResponse: LoginResponseForm;
  timeFormat: string;
  timeZone: string;
  v11TimeTypeField: "timetypeid" | "timecategoryid";
  logLevel: LogLevel;
  json?: boolean;
}

/** Errors from starting: a bad option or state file is the caller's to fix; a busy port too. */
function startFailure(error: unknown, options: SimulatorCommandOptions): CommandError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE" || code === "EADDRNOTAVAIL" || code === "EACCES") {
    return new CommandError(
      `cannot listen on ${options.host}:${options.port} (${code}); choose another --port or --host`,
      ExitCode.network,
    );
  }
  const message = (error as Error).message;
  const exitCode = message.startsWith("simulator state file") ? ExitCode.config : ExitCode.usage;
  return new CommandError(message, exitCode);
}

/** A state file may hold a password the admin changed; then the seed's would mislead. */
function passwordHint(simulator: Simulator): string {
  return simulator.state.checkLogin(SEED_ADMIN.loginEmail, SEED_ADMIN.apiPassword)
    ? `${SEED_ADMIN.apiPassword} (seed)`
    : "(changed from the seed's; see the state file)";
}

function describeSimulator(simulator: Simulator): Record<string, unknown> {
  return {
    baseUrl: simulator.url,
    loginEmail: SEED_ADMIN.loginEmail,
    apiPasswordHint: passwordHint(simulator),
    users: simulator.state.users().map((user) => user.loginEmail),
    timeTypes: simulator.state.timeTypes(),
    projects: simulator.state.projects(),
    control: { state: `${simulator.url}/_sim/state`, faults: `${simulator.url}/_sim/faults` },
  };
}

function announce(simulator: Simulator, context: CliContext, json: boolean): void {
  if (json) {
    context.stdout.write(`${JSON.stringify(describeSimulator(simulator))}\n`);
    return;
  }
  const lines = [
    `base URL: ${simulator.url}`,
    `admin login email: ${SEED_ADMIN.loginEmail}`,
    `API password: ${passwordHint(simulator)}`,
    ...simulator.state.users().map((user) => `user: ${user.loginEmail}`),
    ...simulator.state.timeTypes().map((type) => `time type: ${type.id} ${type.name}`),
    ...simulator.state
      .projects()
      .map((p) => `project: ${p.id} ${p.name} (${p.userEmails.join(", ") || "nobody"})`),
    `control: GET ${simulator.url}/_sim/state, POST ${simulator.url}/_sim/faults`,
    "stop with Ctrl-C (SIGINT) or SIGTERM",
  ];
  context.stdout.write(`${lines.join("\n")}\n`);
}

export function registerSimulatorCommands(program: Command, context: CliContext): void {
  program
    .command("simulator")
    .description(describeCommand("simulator"))
    .option("--port <n>", "TCP port, 0 for any free one", "8089")
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--state <file>", "JSON file that keeps the account and entries across restarts")
    .addOption(
      new Option("--seed <name>", "account to start with when there is no state file")
        .choices(["company", "empty"])
        .default("company"),
    )
    .option("--token-lifetime <seconds>", "seconds a login token stays valid", "3600")
    .addOption(
      new Option("--login-response <form>", "how login answers with the token")
        .choices(["text", "json-string", "json-object"])
        .default("json-object"),
    )
    .option(
      "--time-format <format>",
      'instants on the wire: iso-offset, iso-local, epoch-ms or a luxon pattern such as "yyyy-MM-dd HH:mm"',
      "iso-offset",
    )
    .option(
      "--time-zone <zone>",
      "IANA zone for iso-local, patterns and rendering",
      "Europe/Berlin",
    )
    .addOption(
      new Option(
        "--v11-time-type-field <name>",
        "the one name API v1.1's createtimeentry takes for the time type (the vendor does not say which)",
      )
        .choices(["timecategoryid", "timetypeid"])
        .default("timecategoryid"),
    )
    .addOption(
      new Option("--log-level <level>", "log level of the JSON request log on stderr")
        .choices(LOG_LEVELS)
        .default("info"),
    )
    .option("--json", "print the startup summary as one JSON line, for scripts")
    .action(async (options: SimulatorCommandOptions) => {
      const port = wholeNumberOption(options.port, "--port", 0, 65_535);
      const tokenLifetimeSeconds = wholeNumberOption(
        options.tokenLifetime,
        "--token-lifetime",
        1,
        31_536_000,
      );
      const logger = createLogger(
        { level: options.logLevel, redactBadges: false },
        context.stderr as NodeJS.WritableStream & { write(text: string): boolean },
      );
      let simulator: Simulator;
      try {
        simulator = await startSimulator({
          port,
          host: options.host,
          seed: options.seed,
          stateFile: options.state,
          tokenLifetimeSeconds,
          loginResponse: options.loginResponse,
          timeFormat: options.timeFormat,
          timeZone: options.timeZone,
          v11TimeTypeField: options.v11TimeTypeField,
          logger,
        });
      } catch (error) {
        throw startFailure(error, options);
      }
      announce(simulator, context, options.json === true);
      const signal = await untilStopSignal();
      await simulator.close();
      if (!options.json) context.stdout.write(`stopped on ${signal}\n`);
    });
}
