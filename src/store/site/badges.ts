import type pg from "pg";
import type { KnownBits } from "../../badges/badge-id.js";
import type { Badge, BadgeLookup, NewBadge, UnknownBadge } from "../badges.js";
import { inTransaction, type SiteClient, type SitePool } from "./connection.js";

/**
 * The site's one badge mapping. Every change takes a number from `badge_versions` (removals too),
 * so a terminal's local copy catches up by asking for what came after the number it holds, and
 * each change is announced on the channel `timeclock_badges`.
 */

export const BADGES_CHANNEL = "timeclock_badges";

type Queryable = Pick<pg.Pool | SiteClient, "query">;

interface BadgeRow {
  badge_id: string;
  known_bits: 24 | 32 | 40;
  email: string;
  name: string | null;
  time_type_id: string | null;
  project_id: string | null;
  created_at: Date;
  updated_at: Date;
}

function toBadge(row: BadgeRow): Badge {
  return {
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    email: row.email,
    name: row.name,
    timeTypeId: row.time_type_id,
    projectId: row.project_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const MATCHING = `SELECT * FROM badges
  WHERE right(badge_id, least(known_bits, $2::int) / 4) = right($1::text, least(known_bits, $2::int) / 4)`;

export async function siteBadgeList(db: Queryable): Promise<Badge[]> {
  const rows = await db.query<BadgeRow>("SELECT * FROM badges ORDER BY email, badge_id");
  return rows.rows.map(toBadge);
}

/** Badges whose known low bits agree with the given ID's. */
export async function siteBadgesMatching(
  db: Queryable,
  badgeId: string,
  knownBits: number,
): Promise<Badge[]> {
  const rows = await db.query<BadgeRow>(MATCHING, [badgeId, knownBits]);
  return rows.rows.map(toBadge);
}

/** The one mapping a tap's badge resolves to, as the terminal's own lookup does. */
export async function siteBadgeLookup(
  db: Queryable,
  badgeId: string,
  knownBits: number,
): Promise<BadgeLookup> {
  const exact = await db.query<BadgeRow>(
    "SELECT * FROM badges WHERE badge_id = $1 AND known_bits = $2",
    [badgeId, knownBits],
  );
  const found = exact.rows[0];
  if (found) return { kind: "found", badge: toBadge(found) };
  const matches = await siteBadgesMatching(db, badgeId, knownBits);
  if (matches.length === 0) return { kind: "unknown" };
  if (matches.length === 1 && matches[0]) return { kind: "found", badge: matches[0] };
  return { kind: "ambiguous", badges: matches };
}

export interface SiteBadgeEvent {
  via: string;
  actor: string;
  terminalId: string;
  at: Date;
}

export interface StoredBadge {
  badge: NewBadge;
  outcome: "added" | "updated";
  previous: Badge | null;
}

async function appendEvent(
  client: SiteClient,
  action: string,
  subject: string,
  detail: Record<string, unknown>,
  event: SiteBadgeEvent,
): Promise<void> {
  await client.query(
    `INSERT INTO admin_events (at, action, subject, detail, actor, terminal_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
    [event.at, action, subject, JSON.stringify(detail), event.actor, event.terminalId],
  );
}

/** Adds or updates mappings and records each change, all or nothing; announces the change. */
export async function siteStoreBadges(
  pool: SitePool,
  badges: readonly NewBadge[],
  event: SiteBadgeEvent,
): Promise<StoredBadge[]> {
  return inTransaction(pool, async (client) => {
    const before = new Map((await siteBadgeList(client)).map((known) => [known.badgeId, known]));
    const stored: StoredBadge[] = [];
    for (const badge of badges) {
      const previous = before.get(badge.badgeId) ?? null;
      await client.query(
        `INSERT INTO badges (badge_id, known_bits, email, name, time_type_id, project_id, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (badge_id) DO UPDATE SET known_bits = excluded.known_bits, email = excluded.email,
             name = excluded.name, time_type_id = excluded.time_type_id, project_id = excluded.project_id,
             updated_at = excluded.updated_at, version = nextval('badge_versions')`,
        [
          badge.badgeId,
          badge.knownBits,
          badge.email,
          badge.name ?? null,
          badge.timeTypeId ?? null,
          badge.projectId ?? null,
          event.at,
        ],
      );
      const outcome = previous ? "updated" : "added";
      await appendEvent(
        client,
        outcome === "added" ? "badge.add" : "badge.update",
        badge.badgeId,
        {
          via: event.via,
          knownBits: badge.knownBits,
          email: badge.email,
          previousEmail: previous?.email,
        },
        event,
      );
      stored.push({ badge, outcome, previous });
    }
    await client.query(`SELECT pg_notify($1, $2)`, [BADGES_CHANNEL, String(badges.length)]);
    return stored;
  });
}

/** Removes a mapping and records it; announces the change. */
export async function siteRemoveBadge(
  pool: SitePool,
  badge: Badge,
  event: SiteBadgeEvent,
): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    const removed = await client.query("DELETE FROM badges WHERE badge_id = $1", [badge.badgeId]);
    if (removed.rowCount === 0) return false;
    await client.query("INSERT INTO badge_removals (badge_id, removed_at) VALUES ($1, $2)", [
      badge.badgeId,
      event.at,
    ]);
    await appendEvent(
      client,
      "badge.remove",
      badge.badgeId,
      { knownBits: badge.knownBits, email: badge.email },
      event,
    );
    await client.query(`SELECT pg_notify($1, '1')`, [BADGES_CHANNEL]);
    return true;
  });
}

export interface BadgeChanges {
  /** The newest version among the changes (or the one asked after, when there are none). */
  version: number;
  changed: Badge[];
  removed: string[];
}

/** What changed after `version`; from 0, the whole mapping. */
export async function siteBadgeChanges(pool: SitePool, version: number): Promise<BadgeChanges> {
  return inTransaction(pool, async (client) => {
    await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    const changed = await client.query<BadgeRow & { version: string }>(
      "SELECT * FROM badges WHERE version > $1 ORDER BY version",
      [version],
    );
    const removed = await client.query<{ badge_id: string; version: string }>(
      "SELECT badge_id, version FROM badge_removals WHERE version > $1 ORDER BY version",
      [version],
    );
    const newest = Math.max(
      version,
      ...changed.rows.map((row) => Number(row.version)),
      ...removed.rows.map((row) => Number(row.version)),
    );
    // A removal newer than a re-adding of the same badge wins, and the other way round.
    const lastAdd = new Map(changed.rows.map((row) => [row.badge_id, Number(row.version)]));
    return {
      version: newest,
      changed: changed.rows.map(toBadge),
      removed: removed.rows
        .filter((row) => Number(row.version) > (lastAdd.get(row.badge_id) ?? 0))
        .map((row) => row.badge_id),
    };
  });
}

/** Badges tapped at any door and refused as unknown, most recent first (see BadgeRepository). */
export async function siteTappedUnknown(db: Queryable, since?: Date): Promise<UnknownBadge[]> {
  const rows = await db.query<{
    badge_id: string;
    known_bits: KnownBits;
    taps: string;
    first_at: Date;
    last_at: Date;
  }>(
    `SELECT badge_id, known_bits, count(*) AS taps, min(wall_at) AS first_at, max(wall_at) AS last_at
       FROM taps WHERE reason_code = 'unknown-badge'
       GROUP BY badge_id, known_bits HAVING max(wall_at) > $1 ORDER BY last_at DESC`,
    [since ?? new Date(0)],
  );
  return rows.rows.map((row) => ({
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    taps: Number(row.taps),
    firstAt: row.first_at.toISOString(),
    lastAt: row.last_at.toISOString(),
  }));
}
