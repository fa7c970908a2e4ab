import type pg from "pg";
import { parseRounding } from "../../pairing/booked-span.js";
import type { PersonEntry } from "../door.js";
import type { EntryState } from "../outbox.js";
import type { OpenShiftView } from "../reports.js";
import { parseState } from "../site-state.js";
import type { SiteClient } from "./connection.js";

/**
 * Read-only queries of the site's hours for reports and the screen at the door: every door's
 * entries, the taps they were paired from, each user's open shift.
 */

type Queryable = Pick<pg.Pool | SiteClient, "query">;

/** Entries starting in [from, to) whose clock-in or clock-out was tapped by PIN, at any door. */
export async function siteEntriesTappedByPin(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    `SELECT e.id FROM entries e
       WHERE e.start_at >= $1 AND e.start_at < $2
         AND EXISTS (SELECT 1 FROM taps t
                       WHERE t.email = e.email AND t.source = 'pin'
                         AND t.terminal_id || '/' || t.tap_id IN (e.start_tap, e.end_tap))`,
    [from, to],
  );
  return new Set(rows.rows.map((row) => row.id));
}

/** Every user's open shift as the site holds it, earliest first. */
export async function siteOpenShifts(db: Queryable): Promise<OpenShiftView[]> {
  const rows = await db.query<{ email: string; state: unknown }>(
    "SELECT email, state FROM user_state WHERE jsonb_typeof(state->'openShift') = 'object'",
  );
  return rows.rows
    .flatMap((row) => {
      const shift = parseState(row.state).openShift;
      return shift
        ? [
            {
              email: row.email,
              badgeName: shift.badgeName,
              start: shift.start.at,
              startSynced: shift.start.synced,
            },
          ]
        : [];
    })
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

interface PersonEntryRow {
  id: string;
  start_at: Date;
  end_at: Date;
  rounding: string | null;
  state: EntryState;
}

function personEntry(row: PersonEntryRow): PersonEntry {
  return {
    id: row.id,
    start: row.start_at,
    end: row.end_at,
    rounding: parseRounding(row.rounding),
    state: row.state,
  };
}

/**
 * One person's hours as the screen at the door needs them, from every door: the entries that
 * start in [from, to), any state; when their open shift began; and the entry `entryId`.
 */
export async function sitePersonShifts(
  db: Queryable,
  query: { email: string; from: Date; to: Date; entryId: string | null },
): Promise<{ entries: PersonEntry[]; openStart: Date | null; entry: PersonEntry | undefined }> {
  const entries = await db.query<PersonEntryRow>(
    `SELECT id, start_at, end_at, rounding, state FROM entries
       WHERE email = $1 AND ((start_at >= $2 AND start_at < $3) OR id = $4)
       ORDER BY start_at`,
    [query.email, query.from, query.to, query.entryId],
  );
  const user = await db.query<{ state: unknown }>("SELECT state FROM user_state WHERE email = $1", [
    query.email,
  ]);
  const all = entries.rows.map(personEntry);
  const state = user.rows[0];
  return {
    entries: all.filter((entry) => entry.start >= query.from && entry.start < query.to),
    openStart: state ? (parseState(state.state).openShift?.start.at ?? null) : null,
    entry: all.find((entry) => entry.id === query.entryId),
  };
}
