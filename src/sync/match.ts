import type { TimeEntry } from "../goodtime/types.js";
import type { OutboxEntry } from "../store/outbox.js";

const MINUTE_MS = 60_000;

function floorMinute(date: Date): number {
  return Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS;
}

/** What a lookup looks for: what the last request sent, else the entry's own fields. */
export type LookupTarget = Pick<OutboxEntry, "email" | "start" | "end" | "comment">;

/** The target of a lookup for `entry`: what may be on the server. */
export function lookupTarget(entry: OutboxEntry): LookupTarget {
  const sent = entry.sentAs;
  if (!sent) return entry;
  return { email: sent.userEmail, start: sent.start, end: sent.end, comment: sent.comment ?? null };
}

/**
 * Whether an entry found on the server is the one this terminal sent. GoodTime records whole
 * minutes and moves an end in the start's minute to the next minute, so instants are compared by
 * minute; where both sides carry a comment it must agree too, so that a manager's hand-typed entry
 * with the same minutes is not mistaken for ours.
 */
export function isSameEntry(local: LookupTarget, remote: TimeEntry): boolean {
  if (remote.userEmail.toLowerCase() !== local.email.toLowerCase()) return false;
  const start = floorMinute(local.start);
  if (floorMinute(remote.start) !== start) return false;
  const end = floorMinute(local.end);
  const remoteEnd = floorMinute(remote.end);
  const endMatches = remoteEnd === end || (end === start && remoteEnd === start + MINUTE_MS);
  if (!endMatches) return false;
  if (remote.comment && local.comment && remote.comment !== local.comment) return false;
  return true;
}

/** The window to ask `timeentries` for when looking for an entry that may already be booked. */
export function lookupWindow(local: Pick<LookupTarget, "start">): { from: Date; to: Date } {
  const start = floorMinute(local.start);
  return { from: new Date(start - MINUTE_MS), to: new Date(start + 2 * MINUTE_MS) };
}

/**
 * The instants to send. GoodTime records whole minutes and refuses an end that is not after the
 * start, so a shift that begins and ends in one minute is sent as that minute, the way GoodTime's
 * own SOAP service books such a pair; longer shifts go out as tapped.
 */
export function instantsToSend(local: Pick<OutboxEntry, "start" | "end">): {
  start: Date;
  end: Date;
} {
  const start = floorMinute(local.start);
  if (floorMinute(local.end) > start) return { start: local.start, end: local.end };
  return { start: new Date(start), end: new Date(start + MINUTE_MS) };
}
