/**
 * What the crash soak checks after every restart, as pure functions over what it read from the
 * daemon's log, its journal, its outbox and the server. `final` is for the end of the run, when
 * nothing may be in flight any more.
 */

/** A tap the daemon logged as "tap <outcome>": that line comes after the commit. */
export interface AcceptedTap {
  tapId: number;
  outcome: string;
  badgeId: string;
  /** Which daemon start logged it (1 is the first). */
  run: number;
}

export interface JournalTap {
  id: number;
  badgeId: string;
  outcome: string;
  email: string | null;
}

export interface OutboxRow {
  id: string;
  email: string;
  start: Date;
  end: Date;
  startTapId: number;
  endTapId: number | null;
  state: string;
  ambiguous: boolean;
  serverId: string | null;
}

export interface RemoteEntry {
  id: string;
  userEmail: string;
  start: Date;
  end: Date;
}

export interface SoakSnapshot {
  accepted: readonly AcceptedTap[];
  journal: readonly JournalTap[];
  outbox: readonly OutboxRow[];
  remote: readonly RemoteEntry[];
}

const MINUTE_MS = 60_000;
const floorMinute = (date: Date) => Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** GoodTime keeps whole minutes and books a shift within one minute as that minute. */
export function sameMinutes(row: Pick<OutboxRow, "start" | "end">, remote: RemoteEntry): boolean {
  const start = floorMinute(row.start);
  const end = Math.max(floorMinute(row.end), start + MINUTE_MS);
  return floorMinute(remote.start) === start && floorMinute(remote.end) === end;
}

function acceptedTapProblems(snapshot: SoakSnapshot): string[] {
  const journal = new Map(snapshot.journal.map((tap) => [tap.id, tap]));
  const problems: string[] = [];
  for (const tap of snapshot.accepted) {
    const stored = journal.get(tap.tapId);
    const what = `accepted tap ${tap.tapId} (${tap.outcome}, badge ${tap.badgeId}, logged by run ${tap.run})`;
    if (!stored) problems.push(`${what} is missing from the journal`);
    else if (stored.outcome !== tap.outcome || stored.badgeId !== tap.badgeId) {
      problems.push(`${what} is journalled as ${stored.outcome} of badge ${stored.badgeId}`);
    }
  }
  return problems;
}

function tappedProblems(
  row: OutboxRow,
  remote: RemoteEntry,
  journal: Map<number, JournalTap>,
): string[] {
  const start = journal.get(row.startTapId);
  const end = row.endTapId === null ? undefined : journal.get(row.endTapId);
  const problems: string[] = [];
  if (start?.outcome !== "clock-in" || start.email !== remote.userEmail) {
    problems.push(
      `server entry ${remote.id} of ${remote.userEmail} has no clock-in tap of that user in the journal (start tap ${row.startTapId})`,
    );
  }
  if (end?.outcome !== "clock-out" || end.email !== remote.userEmail) {
    problems.push(
      `server entry ${remote.id} of ${remote.userEmail} has no clock-out tap of that user in the journal (end tap ${row.endTapId})`,
    );
  }
  return problems;
}

function bookingProblems(snapshot: SoakSnapshot, final: boolean): string[] {
  const problems: string[] = [];
  const journal = new Map(snapshot.journal.map((tap) => [tap.id, tap]));
  const remoteById = new Map(snapshot.remote.map((entry) => [entry.id, entry]));
  const claims = new Map<string, OutboxRow[]>();
  for (const row of snapshot.outbox) {
    if (row.serverId === null) continue;
    claims.set(row.serverId, [...(claims.get(row.serverId) ?? []), row]);
  }
  for (const [serverId, rows] of claims) {
    if (rows.length > 1) {
      problems.push(
        `server entry ${serverId} is claimed by ${rows.length} outbox entries: ${rows.map((r) => r.id).join(", ")}`,
      );
    }
    const remote = remoteById.get(serverId);
    for (const row of rows) {
      if (!remote)
        problems.push(
          `outbox entry ${row.id} says it was booked as ${serverId}, which the server does not hold`,
        );
      else if (remote.userEmail !== row.email || !sameMinutes(row, remote)) {
        problems.push(
          `outbox entry ${row.id} (${row.email}, ${row.start.toISOString()}) was booked as ${serverId}, which is ${remote.userEmail} from ${remote.start.toISOString()} to ${remote.end.toISOString()}`,
        );
      }
    }
  }
  const perMinute = new Map<string, RemoteEntry[]>();
  for (const remote of snapshot.remote) {
    const key = `${remote.userEmail} ${iso(floorMinute(remote.start))}`;
    perMinute.set(key, [...(perMinute.get(key) ?? []), remote]);
    const claimed = claims.get(remote.id)?.[0];
    if (claimed) {
      problems.push(...tappedProblems(claimed, remote, journal));
      continue;
    }
    // A request answered by the server whose answer never arrived: the entry stays ambiguous
    // until the sync looks it up. Only allowed while the daemon still runs.
    const inFlight = snapshot.outbox.find(
      (row) =>
        row.serverId === null &&
        row.ambiguous &&
        (row.state === "pending" || row.state === "sending") &&
        row.email === remote.userEmail &&
        sameMinutes(row, remote),
    );
    if (final || !inFlight) {
      problems.push(
        `server entry ${remote.id} of ${remote.userEmail} from ${remote.start.toISOString()} is not claimed by any ${final ? "" : "booked or in-flight "}outbox entry`,
      );
    } else problems.push(...tappedProblems(inFlight, remote, journal));
  }
  for (const [key, entries] of perMinute) {
    if (entries.length > 1)
      problems.push(`${entries.length} server entries for ${key}: booked more than once`);
  }
  if (final) {
    for (const row of snapshot.outbox.filter((r) => r.state !== "booked")) {
      problems.push(
        `outbox entry ${row.id} of ${row.email} is ${row.state}, not booked, at the end`,
      );
    }
  }
  return problems;
}

/** Every problem found, one sentence each; empty when the snapshot is consistent. */
export function soakProblems(snapshot: SoakSnapshot, final: boolean): string[] {
  return [...acceptedTapProblems(snapshot), ...bookingProblems(snapshot, final)];
}
