import type { EntryStore } from "../admin/entry-store.js";
import type { SiteConfig } from "../config/site-schema.js";
import type { Logger } from "../core/logger.js";
import {
  appendSiteAdminEvent,
  applySiteEntryChanges,
  bookSiteReview,
  discardSiteReview,
  lockSiteEntries,
  type SiteActor,
  siteEntriesIn,
  siteEntriesStartingBetween,
  siteOpenReviews,
  siteReview,
  siteTapsBetween,
} from "../store/site/admin-entries.js";
import {
  type AdminEventQuery,
  type DoorAdminEvent,
  siteAdminEvents,
} from "../store/site/admin-events.js";
import { describeSite, inTransaction } from "../store/site/connection.js";
import { siteEntriesTappedByPin, siteOpenShifts } from "../store/site/reports.js";
import { siteAdminPool } from "./admin-pool.js";

/**
 * The admin's entry store in site mode: the site database, where every door's entries, reviews
 * and taps are. The queue, review, export and reports commands and the console's queue and
 * reports pages read and change them there from any door. When the database does not answer they fail, naming it
 * (ADM_NO_SITE, exit 87): this door's journal holds no site entries, so showing it instead would
 * show an empty queue that is not true.
 */

export interface SiteEntries {
  store: EntryStore;
  /** The site's admin record (what `timeclock audit` shows beside this door's own). */
  audit(query: AdminEventQuery): Promise<DoorAdminEvent[]>;
  close(): Promise<void>;
}

export function siteEntryStore(options: {
  config: SiteConfig;
  password: string | undefined;
  logger: Logger;
  applicationName: string;
}): SiteEntries {
  const { config } = options;
  const connection = siteAdminPool({
    ...options,
    why: "in site mode entries, reviews and taps are kept there for every door, not in this door's journal, so nothing was read or changed",
  });
  const reach = connection.reach;
  const as = (who: { actor: string; now: Date }): SiteActor => ({
    ...who,
    terminalId: config.terminalId,
  });
  const store: EntryStore = {
    place: `the site database ${describeSite(config)}`,
    list: (states, limit) =>
      reach((site) => siteEntriesIn(site, states === "all" ? null : states, limit)),
    startingBetween: (from, to) => reach((site) => siteEntriesStartingBetween(site, from, to)),
    tapsBetween: (from, to) => reach((site) => siteTapsBetween(site, from, to)),
    tappedByPin: (from, to) => reach((site) => siteEntriesTappedByPin(site, from, to)),
    openShifts: () => reach((site) => siteOpenShifts(site)),
    change: (target, decide, who) =>
      reach((site) =>
        inTransaction(site, async (client) => {
          const decision = decide(await lockSiteEntries(client, target));
          await applySiteEntryChanges(client, decision.changes, as(who));
          for (const event of decision.events) await appendSiteAdminEvent(client, event, as(who));
          return decision.result;
        }),
      ),
    openReviews: () => reach((site) => siteOpenReviews(site)),
    review: (id) => reach((site) => siteReview(site, id)),
    bookReview: (id, entry, event, who) =>
      reach((site) =>
        inTransaction(site, async (client) => {
          if (!(await bookSiteReview(client, id, entry, as(who)))) return false;
          await appendSiteAdminEvent(client, event, as(who));
          return true;
        }),
      ),
    discardReview: (id, note, event, who) =>
      reach((site) =>
        inTransaction(site, async (client) => {
          if (!(await discardSiteReview(client, id, note, as(who)))) return false;
          await appendSiteAdminEvent(client, event, as(who));
          return true;
        }),
      ),
  };
  return {
    store,
    audit: (query) => reach((site) => siteAdminEvents(site, query)),
    close: connection.close,
  };
}
