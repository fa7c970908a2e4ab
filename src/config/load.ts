import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { CommandError, ExitCode } from "../core/exit-codes.js";
import { describeIssues, formatPath } from "./problems.js";
import { type Config, configSchema } from "./schema.js";
import { maskDatabaseUrl, resolveSitePassword, type SitePassword } from "./site-password.js";

export { DEFAULT_CONFIG_PATH } from "./paths.js";
export const PASSWORD_ENV = "TIMECLOCK_API_PASSWORD";
export const PASSWORD_CREDENTIAL = "apipassword";

export class ConfigError extends CommandError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    const heading =
      problems.length === 1
        ? `config ${file} has 1 problem:`
        : `config ${file} has ${problems.length} problems:`;
    super([heading, ...problems.map((p) => `  - ${p}`)].join("\n"), ExitCode.config);
    this.name = "ConfigError";
  }
}

export type PasswordSource =
  | `environment ${typeof PASSWORD_ENV}`
  | "systemd credential apipassword"
  | "server.apiPasswordFile"
  | "server.apiPassword"
  | "credential source beside the config"
  | "none";

/**
 * Where the installed unit's credential comes from: LoadCredential=apipassword:/etc/timeclock/
 * apipassword, the file beside the config. The service reads a copy systemd hands it; an admin
 * command outside the service reads the source itself when it may (as root), so that it books,
 * checks and diagnoses with the same password the service uses.
 */
export function credentialSourcePath(configPath: string): string {
  return join(dirname(configPath), PASSWORD_CREDENTIAL);
}

export interface LoadedConfig {
  path: string;
  config: Config;
  /** Resolved API password; never logged or printed. */
  apiPassword: string | undefined;
  passwordSource: PasswordSource;
  /** Why no password could be read, if so; commands that talk to the server fail with it. */
  passwordProblem: string | undefined;
  /** Problems worth a warning that do not stop the terminal. */
  warnings: string[];
  /**
   * The credential's source file when it exists but this process may not read it (only root may):
   * the command has to run the way the service does to get the password.
   */
  unreadableCredential?: string;
  /** The site database's password (site mode); never logged or printed. Absent: none. */
  site?: SitePassword;
}

/**
 * Validates parsed JSON; `file` only names the source in errors. Without the JIT: zod would
 * compile a fast path for each object schema (new Function) at the first parse, and a config is
 * parsed once per process, so compiling costs more than it saves (measured with the unit's flags).
 */
export function parseConfig(raw: unknown, file: string): Config {
  const result = configSchema.safeParse(raw, { reportInput: true, jitless: true });
  if (!result.success) throw new ConfigError(file, describeIssues(raw, result.error.issues));
  return result.data;
}

/**
 * A timeclock config nests four levels at most (feedback.keys[0].name). Anything far deeper is
 * not a config, and validating or quoting it back would recurse once per level.
 */
const MAX_CONFIG_DEPTH = 16;

/** The path of the first value nested deeper than `limit`, found without recursion. */
function pathBelow(root: unknown, limit: number): PropertyKey[] | undefined {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.value === null || typeof item.value !== "object") continue;
    if (item.path.length >= limit) return item.path;
    for (const [key, child] of Object.entries(item.value)) {
      stack.push({
        value: child,
        path: [...item.path, Array.isArray(item.value) ? Number(key) : key],
      });
    }
  }
  return undefined;
}

function readFirstLine(path: string, what: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(file, [
      `${what} names ${JSON.stringify(path)}, which cannot be read (${reason}). Create it with the API password on its first line, readable by the timeclock user.`,
    ]);
  }
  const line = text.split(/\r?\n/, 1)[0]?.trim() ?? "";
  if (!line) {
    throw new ConfigError(file, [
      `${what} names ${JSON.stringify(path)}, whose first line is empty.`,
    ]);
  }
  return line;
}

type ResolvedPassword = {
  apiPassword: string | undefined;
  passwordSource: PasswordSource;
  unreadableCredential?: string;
};

/** The installed credential source, when no other source gave a password. */
function fromCredentialSource(file: string): ResolvedPassword {
  const source = credentialSourcePath(file);
  try {
    const text = readFileSync(source, "utf8");
    const line = text.split(/\r?\n/, 1)[0]?.trim() ?? "";
    if (line) return { apiPassword: line, passwordSource: "credential source beside the config" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      return { apiPassword: undefined, passwordSource: "none", unreadableCredential: source };
    }
  }
  return { apiPassword: undefined, passwordSource: "none" };
}

export function resolvePassword(
  config: Config,
  env: NodeJS.ProcessEnv,
  file: string,
): ResolvedPassword {
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv) return { apiPassword: fromEnv, passwordSource: `environment ${PASSWORD_ENV}` };
  const credentials = env.CREDENTIALS_DIRECTORY;
  if (credentials) {
    const path = join(credentials, PASSWORD_CREDENTIAL);
    try {
      statSync(path);
      return {
        apiPassword: readFirstLine(path, "the systemd credential", file),
        passwordSource: "systemd credential apipassword",
      };
    } catch (error) {
      if (error instanceof ConfigError) throw error;
    }
  }
  if (config.server.apiPasswordFile) {
    return {
      apiPassword: readFirstLine(config.server.apiPasswordFile, "server.apiPasswordFile", file),
      passwordSource: "server.apiPasswordFile",
    };
  }
  if (config.server.apiPassword) {
    return { apiPassword: config.server.apiPassword, passwordSource: "server.apiPassword" };
  }
  return fromCredentialSource(file);
}

function permissionWarnings(path: string, config: Config): string[] {
  if (!config.server.apiPassword) return [];
  try {
    if ((statSync(path).mode & 0o004) !== 0) {
      return [
        `config ${path} holds server.apiPassword and is readable by every user; run: chmod o-r ${path} (or move the password to a systemd credential)`,
      ];
    }
  } catch {
    return [];
  }
  return [];
}

export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const hint =
      code === "ENOENT"
        ? `Create it from config.example.json, or name another file with --config PATH.`
        : `Check that the file is readable by this user.`;
    throw new ConfigError(path, [`the file cannot be read (${code ?? String(error)}). ${hint}`]);
  }
  let raw: unknown;
  try {
    // Windows editors (Notepad) save UTF-8 with a byte order mark, which JSON.parse refuses.
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ConfigError(path, [`it is not valid JSON: ${(error as Error).message}`]);
  }
  const tooDeep = pathBelow(raw, MAX_CONFIG_DEPTH);
  if (tooDeep !== undefined) {
    throw new ConfigError(path, [
      `${formatPath(tooDeep)} nests values more than ${MAX_CONFIG_DEPTH} levels deep; a timeclock config needs 4 at most (see config.example.json)`,
    ]);
  }
  const config = parseConfig(raw, path);
  const site = resolveSitePassword(config, env, path);
  const warnings = [
    ...permissionWarnings(path, config),
    ...(site.warning ? [site.warning] : []),
    ...(site.problem ? [site.problem] : []),
  ];
  try {
    const password = resolvePassword(config, env, path);
    const passwordProblem =
      password.apiPassword !== undefined
        ? undefined
        : password.unreadableCredential !== undefined
          ? `no API password for this user (uid ${process.getuid?.() ?? "?"}): it is the systemd credential ${PASSWORD_CREDENTIAL}, whose source ${password.unreadableCredential} only root may read; the service gets a copy from systemd`
          : `no API password: set ${PASSWORD_ENV}, the systemd credential ${PASSWORD_CREDENTIAL}, server.apiPasswordFile or server.apiPassword`;
    return { path, config, ...password, passwordProblem, warnings, site };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const passwordProblem = error.problems.join("; ");
    return {
      path,
      config,
      apiPassword: undefined,
      passwordSource: "none",
      passwordProblem,
      warnings: [...warnings, passwordProblem],
      site,
    };
  }
}

/** The API password, or a config error naming why there is none. */
export function requirePassword(loaded: LoadedConfig): string {
  if (loaded.apiPassword === undefined) {
    throw new ConfigError(loaded.path, [loaded.passwordProblem ?? "no API password"]);
  }
  return loaded.apiPassword;
}

/** The effective configuration with every secret replaced, for printing. */
export function maskedConfig(loaded: LoadedConfig): Record<string, unknown> {
  const server = { ...loaded.config.server };
  if (server.apiPassword) server.apiPassword = "********";
  const site = loaded.config.site;
  return {
    ...loaded.config,
    server: { ...server, apiPasswordSource: loaded.passwordSource },
    site: site
      ? {
          ...site,
          database: maskDatabaseUrl(site.database),
          databasePasswordSource: loaded.site?.source ?? "none",
        }
      : null,
  };
}
