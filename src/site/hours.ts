import type { SiteConfig } from "../config/site-schema.js";
import type { Logger } from "../core/logger.js";
import type { HoursSource, PersonShifts, PersonShiftsQuery } from "../display/hours-source.js";
import { describeSite, openSitePool, type SitePool } from "../store/site/connection.js";
import { sitePersonShifts } from "../store/site/reports.js";
import { within } from "./deadline.js";

/**
 * The screen's hours in site mode: a person's shifts from every door, read from the site
 * database after the tap was committed. A shift begun at one door and ended at another is only
 * there: the door's journal holds the shifts its own clock-outs closed. When the site does not
 * answer within SCREEN_SITE_TIMEOUT_MS the screen counts what the door's journal holds instead,
 * so a slow or lost database delays the tap's screen by that much at most, and never the tap.
 */

/** How long the screen waits for the site before it counts the door's own journal. */
export const SCREEN_SITE_TIMEOUT_MS = 1_000;

export interface SiteHours {
  source: HoursSource;
  close(): Promise<void>;
}

export function siteHoursSource(options: {
  config: SiteConfig;
  password: string | undefined;
  logger: Logger;
  applicationName: string;
  /** The door's journal, for when the site does not answer. */
  fallback: HoursSource;
  timeoutMs?: number;
}): SiteHours {
  const { config, logger, fallback } = options;
  const timeoutMs = options.timeoutMs ?? SCREEN_SITE_TIMEOUT_MS;
  let pool: SitePool | null = null;
  let failing = false;
  const fromSite = (query: PersonShiftsQuery): Promise<PersonShifts> => {
    pool ??= openSitePool(
      { config, password: options.password },
      { applicationName: options.applicationName, logger, max: 1 },
    );
    return sitePersonShifts(pool, query);
  };
  const source: HoursSource = {
    async shifts(query) {
      try {
        const shifts = await within(fromSite(query), timeoutMs, `no answer within ${timeoutMs} ms`);
        if (failing) {
          failing = false;
          logger.info("the screen counts hours from the site database again");
        }
        return shifts;
      } catch (error) {
        if (!failing) {
          failing = true;
          logger.warn(
            { err: error, database: describeSite(config) },
            "the screen counts hours from this door's journal: the site database does not answer, and shifts closed at other doors are missing until it does",
          );
        }
        return fallback.shifts(query);
      }
    },
  };
  return {
    source,
    close: async () => {
      await pool?.end();
    },
  };
}
