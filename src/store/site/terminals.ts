import type { UserState } from "../../pairing/pairing.js";
import { ENTRY_STATES, type EntryState } from "../outbox.js";
import { parseState } from "../site-state.js";
import type { SitePool } from "./connection.js";

/** The doors of a site, each one's last contact, and what the site still has to book. */

export interface TerminalRow {
  id: string;
  name: string;
  firstSeen: Date;
  lastContact: Date;
  startedAt: Date | null;
  pid: number | null;
  /** Taps the door paired alone and has not merged yet, as it last said. */
  provisional: number;
  /** Seconds since its last contact, by the database's clock. */
  silentSeconds: number;
}

/** Records this door's contact (and creates its row the first time). */
export async function touchTerminal(
  pool: SitePool,
  terminal: { id: string; name: string; pid: number; provisional: number },
): Promise<void> {
  await pool.query(
    `INSERT INTO terminals (id, name, pid, provisional, started_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_contact = now(),
         provisional = excluded.provisional,
         started_at = CASE WHEN terminals.pid IS DISTINCT FROM excluded.pid THEN now()
                           ELSE terminals.started_at END,
         pid = excluded.pid`,
    [terminal.id, terminal.name, terminal.pid, terminal.provisional],
  );
}

export async function listTerminals(pool: SitePool): Promise<TerminalRow[]> {
  const rows = await pool.query<{
    id: string;
    name: string;
    first_seen: Date;
    last_contact: Date;
    started_at: Date | null;
    pid: number | null;
    provisional: number;
    silent: number;
  }>(`SELECT *, extract(epoch FROM now() - last_contact) AS silent FROM terminals ORDER BY id`);
  return rows.rows.map((row) => ({
    id: row.id,
    name: row.name,
    firstSeen: row.first_seen,
    lastContact: row.last_contact,
    startedAt: row.started_at,
    pid: row.pid,
    provisional: row.provisional,
    silentSeconds: Number(row.silent),
  }));
}

/** Users' states in the site: those named, or all with `null`. */
export async function siteUserStates(
  pool: SitePool,
  emails: readonly string[] | null,
): Promise<Map<string, UserState<string>>> {
  const rows = emails
    ? await pool.query<{ email: string; state: unknown }>(
        "SELECT email, state FROM user_state WHERE email = ANY($1::text[])",
        [[...emails]],
      )
    : await pool.query<{ email: string; state: unknown }>("SELECT email, state FROM user_state");
  return new Map(rows.rows.map((row) => [row.email, parseState(row.state)]));
}

export interface SiteBacklog {
  entries: Record<EntryState, number>;
  oldestUnbookedAt: Date | null;
  lastBookedAt: Date | null;
  openReviews: number;
  /** Entries some terminal holds a live claim on right now. */
  claimed: number;
}

export async function siteBacklog(pool: SitePool): Promise<SiteBacklog> {
  const counts = await pool.query<{ state: EntryState; n: string }>(
    "SELECT state, count(*) AS n FROM entries GROUP BY state",
  );
  const entries = Object.fromEntries(ENTRY_STATES.map((state) => [state, 0])) as Record<
    EntryState,
    number
  >;
  for (const row of counts.rows) entries[row.state] = Number(row.n);
  const more = await pool.query<{
    oldest: Date | null;
    last: Date | null;
    reviews: string;
    claimed: string;
  }>(
    `SELECT (SELECT min(created_at) FROM entries WHERE state IN ('held', 'pending', 'sending')) AS oldest,
            (SELECT max(booked_at) FROM entries) AS last,
            (SELECT count(*) FROM reviews WHERE resolution IS NULL) AS reviews,
            (SELECT count(*) FROM entries WHERE claimed_by IS NOT NULL AND lease_until > now()) AS claimed`,
  );
  const row = more.rows[0];
  return {
    entries,
    oldestUnbookedAt: row?.oldest ?? null,
    lastBookedAt: row?.last ?? null,
    openReviews: Number(row?.reviews ?? 0),
    claimed: Number(row?.claimed ?? 0),
  };
}

/** Entries of the whole site not booked yet (held, pending or sending), for the door's screen. */
export async function siteUnbookedCount(pool: SitePool): Promise<number> {
  const row = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM entries WHERE state IN ('held', 'pending', 'sending')",
  );
  return Number(row.rows[0]?.n ?? 0);
}

/** Who this terminal is in the site database, for the doctor's least-rights and TLS findings. */
export interface SiteSessionFacts {
  role: string;
  superuser: boolean;
  /** Whether the role may create databases or roles: more than a terminal needs. */
  createsMore: boolean;
  tls: boolean;
  serverVersion: string;
}

export async function siteSessionFacts(pool: SitePool): Promise<SiteSessionFacts> {
  const found = await pool.query<{
    role: string;
    rolsuper: boolean;
    more: boolean;
    tls: boolean | null;
    version: string;
  }>(
    `SELECT current_user AS role, r.rolsuper, (r.rolcreatedb OR r.rolcreaterole) AS more,
            (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls,
            current_setting('server_version') AS version
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const row = found.rows[0];
  if (!row) throw new Error("the site database does not know the role this terminal logs in as");
  return {
    role: row.role,
    superuser: row.rolsuper,
    createsMore: row.more,
    tls: row.tls === true,
    serverVersion: row.version,
  };
}
