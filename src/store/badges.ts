import type { KnownBits } from "../badges/badge-id.js";
import { BadgeIndex } from "../badges/badge-index.js";
import type { Clock } from "../core/clock.js";
import { type Db, statement, toDbTime } from "./database.js";

export interface Badge {
  badgeId: string;
  knownBits: 24 | 32 | 40;
  email: string;
  name: string | null;
  timeTypeId: string | null;
  projectId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewBadge = Pick<Badge, "badgeId" | "knownBits" | "email"> &
  Partial<Pick<Badge, "name" | "timeTypeId" | "projectId">>;

export type BadgeLookup =
  | { kind: "found"; badge: Badge }
  | { kind: "unknown" }
  | { kind: "ambiguous"; badges: Badge[] };

export interface UnknownBadge {
  badgeId: string;
  knownBits: KnownBits;
  taps: number;
  firstAt: string;
  lastAt: string;
}

interface BadgeRow {
  badge_id: string;
  known_bits: 24 | 32 | 40;
  email: string;
  name: string | null;
  time_type_id: string | null;
  project_id: string | null;
  created_at: string;
  updated_at: string;
}

function toBadge(row: BadgeRow): Badge {
  return {
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    email: row.email,
    name: row.name,
    timeTypeId: row.time_type_id,
    projectId: row.project_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The badge-to-user map. Partial IDs (a decimal or facility/card number that carries only the low
 * 32 or 24 bits) match any ID whose low bits agree, so every printed form resolves to one badge.
 */
export class BadgeRepository {
  readonly #db: Db;
  readonly #clock: Clock;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
  }

  list(): Badge[] {
    const rows = statement(
      this.#db,
      "SELECT * FROM badges ORDER BY email, badge_id",
    ).all() as BadgeRow[];
    return rows.map(toBadge);
  }

  /** Badges whose known low bits agree with the given ID's. */
  matching(badgeId: string, knownBits: number): Badge[] {
    const rows = statement(
      this.#db,
      `SELECT * FROM badges
         WHERE substr(badge_id, -(min(known_bits, @bits) / 4)) = substr(@id, -(min(known_bits, @bits) / 4))`,
    ).all({ id: badgeId, bits: knownBits }) as BadgeRow[];
    return rows.map(toBadge);
  }

  lookup(badgeId: string, knownBits: number): BadgeLookup {
    // The common case, a full ID mapped as such, is one primary-key probe on every tap.
    const exact = statement(
      this.#db,
      "SELECT * FROM badges WHERE badge_id = ? AND known_bits = ?",
    ).get(badgeId, knownBits) as BadgeRow | undefined;
    if (exact) return { kind: "found", badge: toBadge(exact) };
    const matches = this.matching(badgeId, knownBits);
    if (matches.length === 0) return { kind: "unknown" };
    if (matches.length === 1 && matches[0]) return { kind: "found", badge: matches[0] };
    return { kind: "ambiguous", badges: matches };
  }

  /** Adds or replaces the mapping of one badge; says which happened. */
  put(badge: NewBadge): "added" | "updated" {
    const now = toDbTime(this.#clock.now());
    const existed = statement(this.#db, "SELECT 1 FROM badges WHERE badge_id = ?").get(
      badge.badgeId,
    );
    statement(
      this.#db,
      `INSERT INTO badges (badge_id, known_bits, email, name, time_type_id, project_id, created_at, updated_at)
         VALUES (@badgeId, @knownBits, @email, @name, @timeTypeId, @projectId, @now, @now)
         ON CONFLICT (badge_id) DO UPDATE SET known_bits = excluded.known_bits, email = excluded.email,
           name = excluded.name, time_type_id = excluded.time_type_id, project_id = excluded.project_id,
           updated_at = excluded.updated_at`,
    ).run({
      badgeId: badge.badgeId,
      knownBits: badge.knownBits,
      email: badge.email,
      name: badge.name ?? null,
      timeTypeId: badge.timeTypeId ?? null,
      projectId: badge.projectId ?? null,
      now,
    });
    return existed ? "updated" : "added";
  }

  /** Writes all badges or none. */
  putAll(badges: readonly NewBadge[]): { added: number; updated: number } {
    const counts = { added: 0, updated: 0 };
    this.#db
      .transaction(() => {
        for (const badge of badges) counts[this.put(badge)]++;
      })
      .immediate();
    return counts;
  }

  remove(badgeId: string): boolean {
    return statement(this.#db, "DELETE FROM badges WHERE badge_id = ?").run(badgeId).changes > 0;
  }

  /**
   * Badges tapped and refused because nobody owned them at the time, most recent first, whether or
   * not they are mapped now; with `since`, only those tapped after it.
   */
  tappedUnknown(since?: Date): UnknownBadge[] {
    const rows = statement(
      this.#db,
      `SELECT badge_id, known_bits, count(*) AS taps, min(wall_at) AS first_at, max(wall_at) AS last_at
         FROM taps WHERE reason_code = 'unknown-badge'
         GROUP BY badge_id, known_bits HAVING max(wall_at) > ? ORDER BY last_at DESC`,
    ).all(since ? toDbTime(since) : "") as {
      badge_id: string;
      known_bits: KnownBits;
      taps: number;
      first_at: string;
      last_at: string;
    }[];
    return rows.map((row) => ({
      badgeId: row.badge_id,
      knownBits: row.known_bits,
      taps: row.taps,
      firstAt: row.first_at,
      lastAt: row.last_at,
    }));
  }

  /** Badges tapped as unknown that are still not mapped (see `tappedUnknown`). */
  unknown(since?: Date): UnknownBadge[] {
    const mapped = new BadgeIndex(this.list());
    return this.tappedUnknown(since).filter((badge) => mapped.matching(badge).length === 0);
  }
}
