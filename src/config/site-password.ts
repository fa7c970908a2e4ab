import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Config } from "./schema.js";

/** The site database's password, found like the API password and never printed. */

export const SITE_PASSWORD_ENV = "TIMECLOCK_SITE_DB_PASSWORD";
export const SITE_PASSWORD_CREDENTIAL = "sitedbpassword";

export type SitePasswordSource =
  | `environment ${typeof SITE_PASSWORD_ENV}`
  | "systemd credential sitedbpassword"
  | "site.databasePasswordFile"
  | "site.database"
  | "credential source beside the config"
  | "none";

export interface SitePassword {
  /** undefined: none found; the server may not want one (certificate or peer authentication). */
  password: string | undefined;
  source: SitePasswordSource;
  /** Why a named source could not be read; the terminal then runs without the site. */
  problem?: string;
  /** Worth a warning: a password written into site.database. */
  warning?: string;
}

function firstLine(path: string): { line?: string; error?: string } {
  try {
    const line = readFileSync(path, "utf8").split(/\r?\n/, 1)[0]?.trim() ?? "";
    return line ? { line } : { error: "its first line is empty" };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/** The password inside a connection URL, decoded; undefined when it carries none. */
export function passwordInUrl(database: string): string | undefined {
  try {
    const password = new URL(database).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** The URL with any password replaced, for printing. */
export function maskDatabaseUrl(database: string): string {
  try {
    const url = new URL(database);
    if (url.password) url.password = "********";
    return url.toString();
  } catch {
    return "(not a URL)";
  }
}

export function resolveSitePassword(
  config: Config,
  env: NodeJS.ProcessEnv,
  configPath: string,
): SitePassword {
  const site = config.site;
  if (!site) return { password: undefined, source: "none" };
  const fromEnv = env[SITE_PASSWORD_ENV];
  if (fromEnv) return { password: fromEnv, source: `environment ${SITE_PASSWORD_ENV}` };
  if (env.CREDENTIALS_DIRECTORY) {
    const read = firstLine(join(env.CREDENTIALS_DIRECTORY, SITE_PASSWORD_CREDENTIAL));
    if (read.line) return { password: read.line, source: "systemd credential sitedbpassword" };
  }
  if (site.databasePasswordFile) {
    const read = firstLine(site.databasePasswordFile);
    if (read.line) return { password: read.line, source: "site.databasePasswordFile" };
    return {
      password: undefined,
      source: "none",
      problem: `site.databasePasswordFile names ${JSON.stringify(site.databasePasswordFile)}, which cannot be read (${read.error}); put the site database password on its first line, readable by the timeclock user`,
    };
  }
  const inUrl = passwordInUrl(site.database);
  if (inUrl !== undefined) {
    return {
      password: inUrl,
      source: "site.database",
      warning: `site.database carries the database password; move it to the systemd credential ${SITE_PASSWORD_CREDENTIAL} (or ${SITE_PASSWORD_ENV}, site.databasePasswordFile)`,
    };
  }
  const beside = firstLine(join(dirname(configPath), SITE_PASSWORD_CREDENTIAL));
  if (beside.line) return { password: beside.line, source: "credential source beside the config" };
  return { password: undefined, source: "none" };
}
