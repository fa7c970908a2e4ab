import type { SiteBadges } from "../admin/deps.js";
import type { SiteConfig } from "../config/site-schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { Db } from "../store/database.js";
import { siteBadgeChanges, siteRemoveBadge, siteStoreBadges } from "../store/site/badges.js";
import type { SitePool } from "../store/site/connection.js";
import { SiteJournal } from "../store/site-journal.js";
import { siteAdminPool } from "./admin-pool.js";

/**
 * Badges once per site: in site mode the admin's changes (CLI or console, at any door) go to the
 * site database, and this door's journal takes the site's mapping right after, so that what the
 * admin reads back, and the taps of a door cut off later, see the change at once. The other doors
 * hear of it through LISTEN/NOTIFY.
 */

/** Changes what this door's copy holds to the site's mapping; returns the version it holds now. */
export async function copySiteBadges(
  pool: SitePool,
  journal: SiteJournal,
): Promise<{ version: number; changed: number; removed: number } | null> {
  const held = journal.badgesVersion();
  const changes = await siteBadgeChanges(pool, held);
  if (changes.version === held) return null;
  journal.applyBadgeChanges(changes.version, changes.changed, changes.removed, held === 0);
  return {
    version: changes.version,
    changed: changes.changed.length,
    removed: changes.removed.length,
  };
}

/** One pool to the site for a front end; `as(actor)` is what the admin use cases get. */
export interface SiteBadgeWriter {
  as(actor: string): SiteBadges;
  close(): Promise<void>;
}

export function siteBadgeWriter(options: {
  config: SiteConfig;
  password: string | undefined;
  db: Db;
  clock: Clock;
  logger: Logger;
  applicationName: string;
}): SiteBadgeWriter {
  const { config, clock } = options;
  // Badge changes are never made at one door alone: they wait for the site database.
  const connection = siteAdminPool({
    ...options,
    why: "badges are mapped once for the whole site, in that database, so nothing was changed",
  });
  const reach = connection.reach;
  const journal = new SiteJournal(options.db, clock);
  const refresh = async () => {
    await reach((site) => copySiteBadges(site, journal));
  };
  return {
    as(actor) {
      const event = (via: string) => ({
        via,
        actor,
        terminalId: config.terminalId,
        at: clock.now(),
      });
      return {
        refresh,
        async store(badges, via) {
          const stored = await reach((site) => siteStoreBadges(site, badges, event(via)));
          await refresh();
          return stored;
        },
        async remove(badge) {
          const removed = await reach((site) => siteRemoveBadge(site, badge, event("remove")));
          await refresh();
          return removed;
        },
      };
    },
    close: connection.close,
  };
}
