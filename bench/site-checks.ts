import type pg from "pg";
import type { LogRecord } from "./daemon-process.js";
import { type RemoteEntry, sameMinutes } from "./soak-checks.js";

/**
 * What the site tests and the site soak check, as pure functions over what they read from the
 * daemons' logs, the site database and the simulator: every accepted tap is in the site
 * database as its door told it, and every entry is booked exactly once.
 */

/** A tap a door logged as "tap <outcome>": that line comes after its commit. */
export interface AcceptedSiteTap {
  door: string;
  tapId: number;
  outcome: string;
}

export interface SiteTapRow {
  door: string;
  tapId: number;
  outcome: string;
  email: string | null;
  provisional: boolean;
  merge: string | null;
}

export interface SiteEntryRow {
  id: string;
  email: string;
  start: Date;
  end: Date;
  state: string;
  ambiguous: boolean;
  serverId: string | null;
}

export interface SiteReviewRow {
  email: string;
  startTap: string;
  reason: string;
  entryId: string | null;
  resolution: string | null;
}

export interface SiteSnapshot {
  taps: SiteTapRow[];
  entries: SiteEntryRow[];
  reviews: SiteReviewRow[];
}

export function acceptedSiteTaps(door: string, records: readonly LogRecord[]): AcceptedSiteTap[] {
  return records
    .filter((r) => r.msg.startsWith("tap ") && typeof r.tapId === "number")
    .map((r) => ({ door, tapId: r.tapId as number, outcome: String(r.outcome) }));
}

/** One consistent read of the site database (a superuser's client, in the site's database). */
export async function readSite(client: pg.Client): Promise<SiteSnapshot> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  try {
    const taps = await client.query(
      "SELECT terminal_id, tap_id, outcome, email, provisional, merge FROM timeclock.taps",
    );
    const entries = await client.query(
      "SELECT id, email, start_at, end_at, state, ambiguous, server_id FROM timeclock.entries",
    );
    const reviews = await client.query(
      "SELECT email, start_tap, reason, entry_id, resolution FROM timeclock.reviews",
    );
    return {
      taps: taps.rows.map((r) => ({
        door: r.terminal_id,
        tapId: Number(r.tap_id),
        outcome: r.outcome,
        email: r.email,
        provisional: r.provisional,
        merge: r.merge,
      })),
      entries: entries.rows.map((r) => ({
        id: r.id,
        email: r.email,
        start: r.start_at,
        end: r.end_at,
        state: r.state,
        ambiguous: r.ambiguous,
        serverId: r.server_id,
      })),
      reviews: reviews.rows.map((r) => ({
        email: r.email,
        startTap: r.start_tap,
        reason: r.reason,
        entryId: r.entry_id,
        resolution: r.resolution,
      })),
    };
  } finally {
    await client.query("COMMIT");
  }
}

/**
 * Every problem found. `final`: nothing may be in flight any more (every entry booked, discarded
 * for review, or refused).
 */
export function siteProblems(
  snapshot: SiteSnapshot,
  accepted: readonly AcceptedSiteTap[],
  remote: readonly RemoteEntry[],
  final: boolean,
): string[] {
  const problems: string[] = [];
  const taps = new Map(snapshot.taps.map((tap) => [`${tap.door}/${tap.tapId}`, tap]));
  for (const tap of accepted) {
    const row = taps.get(`${tap.door}/${tap.tapId}`);
    const what = `tap ${tap.door}/${tap.tapId} (${tap.outcome})`;
    if (!row) {
      if (final) problems.push(`${what} is not in the site database`);
    } else if (row.outcome !== tap.outcome) {
      problems.push(`${what} is in the site database as ${row.outcome}`);
    }
  }
  const remoteById = new Map(remote.map((entry) => [entry.id, entry]));
  const claimed = new Set<string>();
  for (const entry of snapshot.entries) {
    if (entry.serverId === null) continue;
    if (claimed.has(entry.serverId)) {
      problems.push(`server entry ${entry.serverId} is claimed by two site entries`);
    }
    claimed.add(entry.serverId);
    const found = remoteById.get(entry.serverId);
    if (!found) {
      problems.push(
        `site entry ${entry.id} says it was booked as ${entry.serverId}, which the server does not hold`,
      );
    } else if (found.userEmail !== entry.email || !sameMinutes(entry, found)) {
      problems.push(
        `site entry ${entry.id} was booked as ${entry.serverId}, which is another shift`,
      );
    }
  }
  const perShift = new Map<string, number>();
  for (const entry of remote) {
    const key = `${entry.userEmail} ${entry.start.toISOString()}`;
    perShift.set(key, (perShift.get(key) ?? 0) + 1);
    if (claimed.has(entry.id)) continue;
    const inFlight = snapshot.entries.some(
      (row) =>
        row.serverId === null &&
        row.ambiguous &&
        (row.state === "pending" || row.state === "sending") &&
        row.email === entry.userEmail &&
        sameMinutes(row, entry),
    );
    if (final || !inFlight) {
      problems.push(
        `server entry ${entry.id} of ${entry.userEmail} is not claimed by any site entry`,
      );
    }
  }
  for (const [key, count] of perShift) {
    if (count > 1) problems.push(`${count} server entries for ${key}: booked more than once`);
  }
  if (final) {
    for (const entry of snapshot.entries) {
      if (entry.state === "pending" || entry.state === "sending" || entry.state === "held") {
        problems.push(`site entry ${entry.id} of ${entry.email} is ${entry.state} at the end`);
      }
    }
  }
  return problems;
}
