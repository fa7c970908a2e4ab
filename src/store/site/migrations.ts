import type { Logger } from "../../core/logger.js";
import { inTransaction, SITE_SCHEMA, type SitePool } from "./connection.js";

/**
 * The site schema's migrations, as data like the terminal's own (src/store/migrations.ts). The
 * first terminal to start applies what is missing; two starting at once are serialised by an
 * advisory lock, held to the end of the transaction that applies them, so each step runs once
 * and a failed step leaves the database as it was.
 */

export interface SiteMigration {
  version: number;
  description: string;
  sql: string;
}

/** The advisory lock key of migrations: "timeclock" as ASCII bytes. */
const MIGRATION_LOCK = 0x74696d65636c6f63n;

export const SITE_MIGRATIONS: readonly SiteMigration[] = [
  {
    version: 1,
    description:
      "terminals, badges, the taps of every door, each user's state, entries to book with claims, reviews, admin events",
    sql: `
      CREATE TABLE terminals (
        id           text PRIMARY KEY,
        name         text NOT NULL,
        first_seen   timestamptz NOT NULL DEFAULT now(),
        last_contact timestamptz NOT NULL DEFAULT now(),
        started_at   timestamptz,
        pid          integer,
        provisional  integer NOT NULL DEFAULT 0
      );

      CREATE SEQUENCE badge_versions;
      CREATE TABLE badges (
        badge_id     text PRIMARY KEY,
        known_bits   smallint NOT NULL CHECK (known_bits IN (24, 32, 40)),
        email        text NOT NULL,
        name         text,
        time_type_id text,
        project_id   text,
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL,
        version      bigint NOT NULL DEFAULT nextval('badge_versions')
      );
      CREATE INDEX badges_by_version ON badges (version);
      CREATE TABLE badge_removals (
        badge_id   text NOT NULL,
        version    bigint NOT NULL DEFAULT nextval('badge_versions'),
        removed_at timestamptz NOT NULL
      );
      CREATE INDEX badge_removals_by_version ON badge_removals (version);

      CREATE TABLE taps (
        terminal_id  text NOT NULL,
        tap_id       bigint NOT NULL,
        badge_id     text NOT NULL,
        known_bits   smallint NOT NULL,
        source       text NOT NULL,
        wall_at      timestamptz NOT NULL,
        mono_ms      double precision NOT NULL,
        boot_id      text NOT NULL,
        clock_synced boolean NOT NULL,
        outcome      text NOT NULL CHECK (outcome IN ('clock-in', 'clock-out', 'ignored', 'refused')),
        reason       text,
        reason_code  text,
        email        text,
        owner        jsonb,
        intent       jsonb,
        new_entry_id text,
        entry_id     text,
        state_after  jsonb,
        provisional  boolean NOT NULL,
        merge        text CHECK (merge IN ('agreed', 'conflict')),
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, tap_id)
      );
      CREATE INDEX taps_by_user ON taps (email, wall_at) WHERE email IS NOT NULL;
      CREATE INDEX taps_unknown_badges ON taps (badge_id, known_bits, wall_at)
        WHERE reason_code = 'unknown-badge';

      CREATE TABLE user_state (
        email      text PRIMARY KEY,
        state      jsonb NOT NULL,
        by_tap     text NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE entries (
        id              text PRIMARY KEY,
        email           text NOT NULL,
        start_at        timestamptz NOT NULL,
        end_at          timestamptz NOT NULL,
        rounding        text,
        time_type_id    text NOT NULL,
        project_id      text,
        comment         text,
        start_tap       text NOT NULL,
        end_tap         text,
        state           text NOT NULL
                        CHECK (state IN ('held', 'pending', 'sending', 'booked', 'refused', 'discarded')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error      text,
        last_error_code text,
        ambiguous       boolean NOT NULL DEFAULT false,
        sent_as         jsonb,
        server_id       text,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        booked_at       timestamptz,
        claimed_by      text,
        lease_until     timestamptz
      );
      CREATE INDEX entries_due ON entries (start_at) WHERE state IN ('pending', 'sending');
      CREATE INDEX entries_unbooked_by_user ON entries (email, start_at)
        WHERE state IN ('held', 'pending', 'sending');
      CREATE INDEX entries_by_end_tap ON entries (end_tap);

      CREATE TABLE reviews (
        id           bigserial PRIMARY KEY,
        email        text NOT NULL,
        badge_id     text NOT NULL,
        badge_name   text,
        start_tap    text NOT NULL,
        start_at     timestamptz NOT NULL,
        end_tap      text,
        end_at       timestamptz,
        by_tap       text,
        time_type_id text NOT NULL,
        project_id   text,
        reason       text NOT NULL,
        created_at   timestamptz NOT NULL,
        entry_id     text,
        resolution   text CHECK (resolution IN ('booked', 'discarded')),
        resolved_at  timestamptz,
        note         text
      );
      CREATE INDEX reviews_open ON reviews (start_at) WHERE resolution IS NULL;

      CREATE TABLE admin_events (
        id          bigserial PRIMARY KEY,
        at          timestamptz NOT NULL,
        action      text NOT NULL,
        subject     text NOT NULL,
        detail      jsonb,
        actor       text,
        terminal_id text
      );
    `,
  },
  {
    version: 2,
    description:
      "what an admin set for an entry (queue edit), kept for later retries, as on a lone terminal",
    sql: `
      CREATE TABLE entry_overrides (
        entry_id text PRIMARY KEY REFERENCES entries (id),
        fields   jsonb NOT NULL,
        set_at   timestamptz NOT NULL
      );
    `,
  },
];

export const SITE_SCHEMA_VERSION = SITE_MIGRATIONS.at(-1)?.version ?? 0;

/** The site database is not set up for timeclock, or is newer than this program. */
export class SiteSchemaError extends Error {
  override name = "SiteSchemaError";
}

/** The schema version the site database is at; 0 when no terminal has set it up yet. */
export async function siteSchemaVersion(pool: SitePool): Promise<number> {
  const found = await pool.query<{ version: number | null }>(
    `SELECT CASE WHEN to_regclass('${SITE_SCHEMA}.site_schema') IS NULL THEN 0
                 ELSE (SELECT coalesce(max(version), 0) FROM ${SITE_SCHEMA}.site_schema) END AS version`,
  );
  return found.rows[0]?.version ?? 0;
}

/** Brings the site schema up to date; safe when several terminals start at once. */
export async function migrateSite(
  pool: SitePool,
  logger: Logger,
  migrations: readonly SiteMigration[] = SITE_MIGRATIONS,
): Promise<number> {
  const schema = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [SITE_SCHEMA]);
  if (schema.rowCount === 0) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${SITE_SCHEMA}`);
    } catch (error) {
      throw new SiteSchemaError(
        `the site database has no schema "${SITE_SCHEMA}" and this role may not create it (${(error as Error).message}); create it as the database owner: CREATE SCHEMA ${SITE_SCHEMA} AUTHORIZATION <the terminals' role> (docs/site.md)`,
      );
    }
  }
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK.toString()]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS site_schema (
         version     integer PRIMARY KEY,
         description text NOT NULL,
         applied_at  timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const found = await client.query<{ version: number }>(
      "SELECT coalesce(max(version), 0) AS version FROM site_schema",
    );
    const current = found.rows[0]?.version ?? 0;
    const newest = migrations.at(-1)?.version ?? 0;
    if (current > newest) {
      throw new SiteSchemaError(
        `the site database's schema is version ${current}, newer than this program knows (${newest}): another terminal runs a newer timeclock; update this one too`,
      );
    }
    for (const step of migrations) {
      if (step.version <= current) continue;
      await client.query(step.sql);
      await client.query("INSERT INTO site_schema (version, description) VALUES ($1, $2)", [
        step.version,
        step.description,
      ]);
      logger.info(
        { version: step.version, description: step.description },
        "site database migrated",
      );
    }
    return newest;
  });
}
