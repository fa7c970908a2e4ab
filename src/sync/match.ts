import type { TimeEntry } from "../goodtime/types.js";
import { bookedSpan, type Span } from "../pairing/booked-span.js";
import type { OutboxEntry } from "../store/outbox.js";
import type { BookableEntry } from "./booking-queue.js";

const MINUTE_MS = 60_000;

function floorMinute(date: Date): number {
  return Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS;
}

/** What a lookup looks for: what the last request sent, else what the entry books as. */
export type LookupTarget = Pick<OutboxEntry, "email" | "start" | "end" | "comment">;

/**
 * The target of a lookup for `entry`: what may be on the server. Without a record of what was sent
 * (an entry restored from a backup), that is the booked span, not the raw instants.
 */
export function lookupTarget(entry: BookableEntry): LookupTarget {
  const sent = entry.sentAs;
  if (!sent) return { ...entry, ...instantsToSend(entry) };
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

/** The instants to send: the booked span (whole minutes, `entry.rounding` applied). */
export function instantsToSend(local: Pick<OutboxEntry, "start" | "end" | "rounding">): Span {
  return bookedSpan(local, local.rounding);
}
