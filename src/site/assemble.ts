import type { LoadedConfig } from "../config/load.js";
import type { SiteConfig } from "../config/site-schema.js";
import type { Clock } from "../core/clock.js";
import { timeOrderedUuid } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { Db } from "../store/database.js";
import { siteBookingQueue } from "../store/site/outbox.js";
import { SiteJournal } from "../store/site-journal.js";
import type { BookingQueue } from "../sync/booking-queue.js";
import type { StatusPublisher } from "../terminal/status-documents.js";
import { pairingSettings, type SiteRecorder } from "../terminal/terminal.js";
import { SiteLink, type SiteStatus } from "./link.js";
import { siteRecorder } from "./recorder.js";

/** Site mode's parts for the daemon: the link, the tap recorder, the shared booking queue. */
export interface SiteParts {
  link: SiteLink;
  recorder: SiteRecorder;
  queue: BookingQueue;
  /** The amber LED: taps this door holds that the site does not have yet. */
  backlog: () => { refused: boolean; unbooked: boolean };
}

export function siteParts(
  loaded: LoadedConfig,
  site: SiteConfig,
  deps: {
    db: Db;
    clock: Clock;
    logger: Logger;
    status: StatusPublisher;
    /** Entries became due in the site: wake the sync. */
    onEntries: () => void;
  },
): SiteParts {
  const { config } = loaded;
  const journal = new SiteJournal(deps.db, deps.clock);
  const settings = pairingSettings(config);
  let last: SiteStatus | null = null;
  const link = new SiteLink({
    config: site,
    password: loaded.site?.password,
    terminalName: config.terminal.name,
    journal,
    clock: deps.clock,
    logger: deps.logger,
    settings,
    onEntries: deps.onEntries,
    onStatus: (status) => {
      last = status;
      deps.status.publish("site", status);
    },
  });
  return {
    link,
    recorder: siteRecorder({
      terminalId: site.terminalId,
      link,
      journal,
      settings,
      defaults: { timeTypeId: config.entry.timeTypeId, projectId: config.entry.projectId },
      tapTimeoutMs: site.tapTimeoutMs,
      clock: deps.clock,
      newId: () => timeOrderedUuid(deps.clock.now()),
    }),
    queue: siteBookingQueue(link.pool, {
      terminalId: site.terminalId,
      leaseSeconds: site.leaseSeconds,
    }),
    backlog: () => ({ refused: false, unbooked: (last?.waiting ?? 0) > 0 }),
  };
}
