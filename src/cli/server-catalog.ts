import type { CatalogResult } from "../admin/index.js";
import { ConfigError, type LoadedConfig } from "../config/load.js";
import type { Logger } from "../core/logger.js";
import { GoodTimeError } from "../goodtime/errors.js";
import { createClientFromConfig } from "../goodtime/from-config.js";

/**
 * Fetches the account's users, time types and projects for `--check`. A server that cannot be
 * asked (down, no password, credentials refused) yields a warning instead of an error: an admin
 * must be able to map a badge on a day the network is down.
 */
export async function fetchServerCatalog(
  loaded: LoadedConfig,
  logger: Logger,
): Promise<CatalogResult> {
  const unchecked = (why: string): CatalogResult => ({
    ok: false,
    warning: `could not check against GoodTime at ${loaded.config.server.baseUrl}: ${why}; saving without the check`,
  });
  let client: ReturnType<typeof createClientFromConfig>;
  try {
    client = createClientFromConfig(loaded, logger);
  } catch (error) {
    if (error instanceof ConfigError) return unchecked(error.problems.join("; "));
    throw error;
  }
  try {
    const users = await client.users();
    const timeTypes = await client.timeTypes();
    const projects = await client.projects();
    return {
      ok: true,
      catalog: {
        userEmails: new Set(users.map((user) => user.loginEmail.toLowerCase())),
        timeTypeIds: new Set(timeTypes.map((type) => type.id)),
        projectIds: new Set(projects.map((project) => project.id)),
      },
    };
  } catch (error) {
    if (error instanceof GoodTimeError) return unchecked(`${error.message} [${error.code}]`);
    throw error;
  } finally {
    client.close();
  }
}
