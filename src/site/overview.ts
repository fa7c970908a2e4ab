import { ageText, localTime } from "../admin/format.js";
import type { SiteStatusSource } from "../admin/site-status.js";
import type { Logger } from "../core/logger.js";
import { describeSite, openSitePool, type SiteTarget } from "../store/site/connection.js";
import { SITE_SCHEMA_VERSION, siteSchemaVersion } from "../store/site/migrations.js";
import {
  listTerminals,
  type SiteBacklog,
  siteBacklog,
  type TerminalRow,
} from "../store/site/terminals.js";
import { HEARTBEAT_MS } from "./link.js";

/**
 * What `timeclock site status` shows: the site database, every door with its last contact, and
 * what the site still has to book. Read from the site database itself, so any door (or an admin's
 * machine with the same config) sees the whole site.
 */

export interface SiteOverview {
  now: Date;
  /** Where the database is (user@host:port/database, never the password). */
  database: string;
  /** This config's door. */
  terminalId: string;
  schemaVersion: number;
  terminals: TerminalRow[];
  backlog: SiteBacklog;
}

/** A door silent for longer than this many heartbeats is reported as out of contact. */
export const SILENT_HEARTBEATS = 3;

export type SiteSeverity = "critical" | "warning";

export interface SiteAttention {
  severity: SiteSeverity;
  message: string;
}

/** An unbooked entry older than this means the site's booking is stuck, not merely busy. */
const BACKLOG_WARN_MS = 60 * 60_000;

export async function readSiteOverview(
  target: SiteTarget,
  logger: Logger,
  now: Date,
): Promise<SiteOverview> {
  const pool = openSitePool(target, {
    applicationName: `timeclock ${target.config.terminalId} site status`,
    logger,
    max: 1,
  });
  try {
    return {
      now,
      database: describeSite(target.config),
      terminalId: target.config.terminalId,
      schemaVersion: await siteSchemaVersion(pool),
      terminals: await listTerminals(pool),
      backlog: await siteBacklog(pool),
    };
  } finally {
    await pool.end();
  }
}

/** What needs attention in the site, most severe first (pure). */
export function assessSite(overview: SiteOverview): SiteAttention[] {
  const found: SiteAttention[] = [];
  const silentAfter = (SILENT_HEARTBEATS * HEARTBEAT_MS) / 1000;
  if (overview.schemaVersion === 0) {
    found.push({
      severity: "critical",
      message:
        "no terminal has set up the site database yet: start one terminal in site mode (timeclock run), which creates the schema",
    });
  }
  if (!overview.terminals.some((terminal) => terminal.id === overview.terminalId)) {
    found.push({
      severity: "warning",
      message: `this door (${overview.terminalId}) has never reached the site database: is its service running? journalctl -u timeclock`,
    });
  }
  for (const terminal of overview.terminals) {
    if (terminal.silentSeconds > silentAfter) {
      found.push({
        severity: "warning",
        message: `door ${terminal.id} has not been in contact for ${ageText(terminal.silentSeconds * 1000)}: it is stopped, or cut off from the site database (then it pairs taps alone and merges them when it is back)`,
      });
    }
    if (terminal.provisional > 0) {
      found.push({
        severity: "warning",
        message: `door ${terminal.id} holds ${terminal.provisional} tap(s) paired while cut off, not merged yet`,
      });
    }
  }
  const { backlog } = overview;
  if (backlog.entries.refused > 0) {
    found.push({
      severity: "warning",
      message: `${backlog.entries.refused} entr${backlog.entries.refused === 1 ? "y" : "ies"} refused by GoodTime, see timeclock queue --state refused at any door`,
    });
  }
  if (backlog.openReviews > 0) {
    found.push({
      severity: "warning",
      message: `${backlog.openReviews} shift(s) wait for review, see timeclock review at any door`,
    });
  }
  if (
    backlog.oldestUnbookedAt &&
    overview.now.getTime() - backlog.oldestUnbookedAt.getTime() > BACKLOG_WARN_MS
  ) {
    found.push({
      severity: "warning",
      message: `the oldest unbooked entry of the site waits since ${ageText(overview.now.getTime() - backlog.oldestUnbookedAt.getTime())}: is GoodTime reachable from any door? timeclock status`,
    });
  }
  return found.sort((x, y) => (x.severity === y.severity ? 0 : x.severity === "critical" ? -1 : 1));
}

export function siteLevel(attention: readonly SiteAttention[]): "ok" | "warning" | "critical" {
  if (attention.some((item) => item.severity === "critical")) return "critical";
  return attention.length > 0 ? "warning" : "ok";
}

/** The text form, 80 columns (pure). */
export function renderSiteOverview(
  overview: SiteOverview,
  attention: readonly SiteAttention[],
  zone: string,
): string {
  const lines = [
    `site database: ${overview.database}, schema ${overview.schemaVersion} (this program: ${SITE_SCHEMA_VERSION})`,
    ...attention.map(
      (item) => `${item.severity === "critical" ? "CRITICAL" : "warning"}: ${item.message}`,
    ),
    "",
    "door                              last contact                 cut-off taps",
  ];
  for (const terminal of overview.terminals) {
    const me = terminal.id === overview.terminalId ? " (this)" : "";
    const contact = `${localTime(terminal.lastContact, zone)} (${ageText(terminal.silentSeconds * 1000)} ago)`;
    lines.push(`${`${terminal.id}${me}`.padEnd(34)}${contact.padEnd(29)}${terminal.provisional}`);
  }
  if (overview.terminals.length === 0) lines.push("(no door has reached the site database yet)");
  const { backlog } = overview;
  const entries = backlog.entries;
  lines.push(
    "",
    `site backlog: ${entries.pending + entries.sending} to book (${backlog.claimed} claimed by a door now), ${entries.held} held, ${entries.refused} refused, ${entries.booked} booked, ${backlog.openReviews} review(s) open`,
  );
  if (backlog.oldestUnbookedAt) {
    lines.push(`oldest unbooked since ${localTime(backlog.oldestUnbookedAt, zone)}`);
  }
  if (backlog.lastBookedAt) lines.push(`last booked ${localTime(backlog.lastBookedAt, zone)}`);
  return `${lines.join("\n")}\n`;
}

/** The site's status for the admin layer (the console's status page), read at each call. */
export function siteStatusSource(target: SiteTarget, logger: Logger): SiteStatusSource {
  return {
    async read(now) {
      let overview: SiteOverview;
      try {
        overview = await readSiteOverview(target, logger, now);
      } catch (error) {
        return {
          reached: false,
          database: describeSite(target.config),
          reason: (error as Error).message,
        };
      }
      const attention = assessSite(overview);
      const { backlog } = overview;
      return {
        reached: true,
        view: {
          database: overview.database,
          terminalId: overview.terminalId,
          doors: overview.terminals.map((terminal) => ({
            id: terminal.id,
            lastContact: terminal.lastContact,
            silentSeconds: terminal.silentSeconds,
            provisional: terminal.provisional,
          })),
          backlog: {
            toBook: backlog.entries.pending + backlog.entries.sending,
            claimed: backlog.claimed,
            held: backlog.entries.held,
            refused: backlog.entries.refused,
            booked: backlog.entries.booked,
            openReviews: backlog.openReviews,
            oldestUnbookedAt: backlog.oldestUnbookedAt,
            lastBookedAt: backlog.lastBookedAt,
          },
          attention,
          level: siteLevel(attention),
        },
      };
    },
  };
}
