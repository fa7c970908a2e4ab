import type { Config } from "../config/schema.js";
import type { ControlReply, ControlRequest } from "../control/protocol.js";
import type { Clock } from "../core/clock.js";
import type { Badge, NewBadge } from "../store/badges.js";
import type { Db } from "../store/database.js";
import type { AdminEventQuery, DoorAdminEvent } from "../store/site/admin-events.js";
import type { EntryStore } from "./entry-store.js";
import type { SiteStatusSource } from "./site-status.js";

/** Whether the running daemon heard of a change; a change is committed either way. */
export type DaemonNote =
  | { told: true; detail: string }
  | { told: false; reason: "not-running" | "no-access" | "no-answer" | "refused"; detail: string };

/** The daemon's answer to a question, or why there is none. */
export type DaemonAnswer =
  | { answered: true; reply: ControlReply & { ok: true } }
  | { answered: false; note: DaemonNote & { told: false } };

/** The way to the running daemon: the control socket, for the CLI and the console alike. */
export interface DaemonLink {
  /** Tells the daemon of a committed change; never throws. */
  notify(request: ControlRequest): Promise<DaemonNote>;
  /**
   * Asks the daemon something whose reply carries data (enrolment); never throws. `timeoutMs`
   * for a question that takes long (a PIN's slow hash on a small Pi).
   */
  ask(request: ControlRequest, options?: { timeoutMs?: number }): Promise<DaemonAnswer>;
}

/**
 * What every admin use case works with: an open store, the time, the configuration (defaults for
 * entries, the time zone), the daemon to tell of changes once they are committed, and who is
 * acting, for the admin record.
 */
export interface AdminDeps {
  db: Db;
  clock: Clock;
  config: Config;
  daemon: DaemonLink;
  /** Who makes the changes: "cli:<login>" or "console:<address>"; kept with every admin event. */
  actor: string;
  /**
   * Site mode: the site's one badge mapping, which every change goes to (and this door's copy is
   * refreshed from); absent on a lone terminal, whose mapping is its own journal's.
   */
  siteBadges?: SiteBadges;
  /**
   * Site mode: the site database's entries, reviews and taps, which the queue, review and export
   * use cases read and change instead of this door's journal (where site entries never are).
   */
  siteEntries?: EntryStore;
  /** Site mode: how the whole site stands, read from the site database. */
  siteStatus?: SiteStatusSource;
  /** Site mode: the site database's admin record, every door's changes to what the site shares. */
  siteAudit?: (query: AdminEventQuery) => Promise<DoorAdminEvent[]>;
}

/** A mapping change as stored: new or updated, and what it was before. */
export interface StoredMapping {
  badge: NewBadge;
  outcome: "added" | "updated";
  previous: Badge | null;
}

/** The site database's badges, as the admin use cases change them (site/badges.ts). */
export interface SiteBadges {
  /** Takes the site's mapping into this door's journal, so that reads see it. */
  refresh(): Promise<void>;
  store(badges: readonly NewBadge[], via: string): Promise<StoredMapping[]>;
  remove(badge: Badge): Promise<boolean>;
}
