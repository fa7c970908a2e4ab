import { AdminError, isAdminError } from "../admin/errors.js";
import type { SiteConfig } from "../config/site-schema.js";
import type { Logger } from "../core/logger.js";
import { describeSite, openSitePool, type SitePool } from "../store/site/connection.js";
import { migrateSite } from "../store/site/migrations.js";

/**
 * One connection to the site database for an admin front end (a CLI command, the console),
 * opened at the first use, so that commands that never need the site never connect, and the
 * schema brought up to date then. A failure to reach it becomes ADM_NO_SITE (exit 87), naming
 * the database and saying what `why` explains: why nothing was read or changed at this door.
 */
export interface SiteAdminPool {
  reach<T>(work: (pool: SitePool) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function siteAdminPool(options: {
  config: SiteConfig;
  password: string | undefined;
  logger: Logger;
  applicationName: string;
  why: string;
}): SiteAdminPool {
  const { config } = options;
  let pool: SitePool | null = null;
  let ready = false;
  return {
    async reach(work) {
      try {
        pool ??= openSitePool(
          { config, password: options.password },
          { applicationName: options.applicationName, logger: options.logger, max: 1 },
        );
        if (!ready) {
          await migrateSite(pool, options.logger);
          ready = true;
        }
        return await work(pool);
      } catch (error) {
        if (isAdminError(error)) throw error;
        throw new AdminError(
          "ADM_NO_SITE",
          `the site database ${describeSite(config)} does not answer (${(error as Error).message}); ${options.why}: try again when it answers (timeclock site status)`,
        );
      }
    },
    close: async () => {
      await pool?.end();
    },
  };
}
