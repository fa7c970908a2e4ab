import type { AdminDeps } from "./deps.js";

/**
 * The site as `timeclock site status` shows it, for front ends that show it beside this door's
 * own status (the console's status page): every door's last contact and taps paired while cut off,
 * the site's backlog, and what needs attention. Read from the site database by a source the front
 * end plugs in (site/overview.ts); absent on a lone terminal.
 */

export interface SiteDoorView {
  id: string;
  lastContact: Date;
  /** Seconds since its last contact, by the database's clock. */
  silentSeconds: number;
  /** Taps it paired while cut off and has not merged yet. */
  provisional: number;
}

export interface SiteStatusView {
  /** user@host:port/database, never the password. */
  database: string;
  /** This door. */
  terminalId: string;
  doors: SiteDoorView[];
  backlog: {
    toBook: number;
    claimed: number;
    held: number;
    refused: number;
    booked: number;
    openReviews: number;
    oldestUnbookedAt: Date | null;
    lastBookedAt: Date | null;
  };
  attention: { severity: "critical" | "warning"; message: string }[];
  level: "ok" | "warning" | "critical";
}

export type SiteStatusResult =
  | { reached: true; view: SiteStatusView }
  | { reached: false; database: string; reason: string };

export interface SiteStatusSource {
  read(now: Date): Promise<SiteStatusResult>;
}

/** The site's status, or null on a lone terminal; a database that does not answer is a result. */
export async function siteStatus(deps: AdminDeps): Promise<SiteStatusResult | null> {
  return deps.siteStatus ? deps.siteStatus.read(deps.clock.now()) : null;
}
