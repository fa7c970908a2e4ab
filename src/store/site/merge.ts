import { type MergeShift, type MergeTap, mergeTaps, shiftOf } from "../../pairing/merge.js";
import type {
  BadgeOwner,
  PairingDecision,
  PairingSettings,
  TapIntent,
  UserState,
} from "../../pairing/pairing.js";
import type { TapToCopy } from "../site-journal.js";
import { EMPTY_STATE, parseState } from "../site-state.js";
import { inTransaction, type SiteClient, type SitePool } from "./connection.js";
import {
  ENTRIES_CHANNEL,
  insertSiteEntry,
  insertSiteReview,
  insertSiteTap,
  lockUser,
  type SiteReviewDraft,
  saveUserState,
  tapKey,
} from "./taps.js";

/**
 * Copies a door's journalled taps into the site database and merges the ones it paired alone
 * (see pairing/merge.ts): per user, under that user's lock, in one transaction each.
 */

export interface CopyResult {
  copied: number[];
  /** Users whose state the merge set, for the door's own copy. */
  states: Map<string, UserState<string>>;
  agreed: number;
  conflicts: number;
}

interface WindowRow {
  terminal_id: string;
  tap_id: string;
  wall_at: Date;
  mono_ms: number;
  boot_id: string;
  clock_synced: boolean;
  owner: BadgeOwner | null;
  intent: TapIntent | null;
  new_entry_id: string | null;
  state_after: unknown;
  provisional: boolean;
  merge: string | null;
}

function asSiteTap(terminalId: string, tap: TapToCopy) {
  return {
    terminalId,
    tapId: tap.tapId,
    read: tap.read,
    time: tap.time,
    ...(tap.decision?.intent ? { intent: tap.decision.intent } : {}),
    newEntryId: tap.decision?.newEntryId ?? "",
  };
}

/** Taps that pair nothing (refused) go in as they are. */
async function copyPlain(pool: SitePool, terminalId: string, taps: readonly TapToCopy[]) {
  if (taps.length === 0) return;
  await inTransaction(pool, async (client) => {
    for (const tap of taps) {
      await insertSiteTap(client, asSiteTap(terminalId, tap), {
        outcome: tap.outcome,
        reason: tap.reason,
        reasonCode: tap.reasonCode,
        email: tap.email,
        owner: tap.decision?.owner ?? null,
        entryId: null,
        stateAfter: tap.decision?.stateAfter ?? null,
        provisional: tap.provisional,
      });
    }
  });
}

export async function copyDoorTaps(
  pool: SitePool,
  terminalId: string,
  taps: readonly TapToCopy[],
  settings: PairingSettings,
  now: Date,
): Promise<CopyResult> {
  const result: CopyResult = { copied: [], states: new Map(), agreed: 0, conflicts: 0 };
  const plain = taps.filter((tap) => !tap.provisional || !tap.email || !tap.decision);
  await copyPlain(pool, terminalId, plain);
  result.copied.push(...plain.map((tap) => tap.tapId));
  const byUser = new Map<string, TapToCopy[]>();
  for (const tap of taps) {
    if (!tap.provisional || !tap.email || !tap.decision) continue;
    byUser.set(tap.email, [...(byUser.get(tap.email) ?? []), tap]);
  }
  for (const [email, userTaps] of byUser) {
    const merged = await inTransaction(pool, (client) =>
      mergeUser(client, terminalId, email, userTaps, settings, now),
    );
    result.copied.push(...userTaps.map((tap) => tap.tapId));
    if (merged) {
      result.states.set(email, merged.state);
      if (merged.same) result.agreed++;
      else result.conflicts++;
    }
  }
  return result;
}

async function mergeUser(
  client: SiteClient,
  terminalId: string,
  email: string,
  taps: readonly TapToCopy[],
  settings: PairingSettings,
  now: Date,
): Promise<{ state: UserState<string>; same: boolean } | null> {
  await lockUser(client, email);
  const fresh = new Map<string, TapToCopy>();
  for (const tap of taps) {
    const decision = tap.decision;
    if (!decision) continue;
    const inserted = await insertSiteTap(client, asSiteTap(terminalId, tap), {
      outcome: tap.outcome,
      reason: tap.reason,
      reasonCode: tap.reasonCode,
      email,
      owner: decision.owner,
      entryId: decision.entry?.id ?? null,
      stateAfter: decision.stateAfter,
      provisional: true,
    });
    // A tap the site already has was paired there (its answer came too late): that stands.
    if (inserted) fresh.set(tapKey(terminalId, tap.tapId), tap);
  }
  if (fresh.size === 0) return null;
  const since = new Date(Math.min(...[...fresh.values()].map((tap) => tap.time.at.getTime())));
  const window = (
    await client.query<WindowRow>(
      `SELECT terminal_id, tap_id, wall_at, mono_ms, boot_id, clock_synced, owner, intent,
              new_entry_id, state_after, provisional, merge
         FROM taps WHERE email = $1 AND outcome <> 'refused' AND wall_at >= $2`,
      [email, since],
    )
  ).rows;
  const previous = await client.query<{ state_after: unknown }>(
    `SELECT state_after FROM taps WHERE email = $1 AND outcome <> 'refused' AND wall_at < $2
       ORDER BY wall_at DESC, terminal_id DESC, tap_id DESC LIMIT 1`,
    [email, since],
  );
  const before = previous.rows[0] ? parseState(previous.rows[0].state_after) : EMPTY_STATE;
  const mergeTapsIn: MergeTap[] = window.map((row) => {
    const key = tapKey(row.terminal_id, Number(row.tap_id));
    return {
      key,
      terminal: row.terminal_id,
      time: {
        at: row.wall_at,
        monoMs: Number(row.mono_ms),
        bootId: row.boot_id,
        synced: row.clock_synced,
      },
      owner: row.owner as BadgeOwner,
      ...(row.intent ? { intent: row.intent } : {}),
      newEntryId: row.new_entry_id ?? key,
      stateAfter: parseState(row.state_after),
      provisional: fresh.has(key),
    };
  });
  const keys = mergeTapsIn.map((tap) => tap.key);
  const recorded = await recordedShifts(client, email, keys);
  const fromDoor = new Map<MergeShift, TapToCopy>();
  for (const [key, tap] of fresh) {
    const decision = tap.decision;
    if (!decision) continue;
    const as: PairingDecision<string> | null = decision.entry
      ? {
          kind: "clock-out",
          state: decision.stateAfter,
          entry: decision.entry,
          review: null,
          next: null,
        }
      : decision.review
        ? tap.outcome === "clock-out"
          ? {
              kind: "clock-out",
              state: decision.stateAfter,
              entry: null,
              review: decision.review,
              next: null,
            }
          : { kind: "clock-in", state: decision.stateAfter, review: decision.review }
        : null;
    const shift = as ? shiftOf(as, { key, time: tap.time }) : null;
    if (shift) {
      recorded.push(shift);
      fromDoor.set(shift, tap);
    }
  }
  const result = mergeTaps({ before, taps: mergeTapsIn, recorded, settings });
  const owners = new Map(mergeTapsIn.map((tap) => [tap.key, tap.owner]));
  const ownerOf = (shift: MergeShift): BadgeOwner | undefined =>
    owners.get(shift.startTap) ?? owners.get(shift.byTap);
  let queued = false;
  for (const shift of result.keep) {
    const tap = fromDoor.get(shift);
    if (!tap?.decision) continue;
    if (shift.kind === "entry" && tap.decision.entry) {
      await insertSiteEntry(client, tap.decision.entry, terminalId, now);
      queued = true;
    } else if (tap.decision.review) {
      await insertSiteReview(
        client,
        reviewOf(shift, email, ownerOf(shift), tap.decision.review.reason, before),
        now,
      );
    }
  }
  const conflictTaps = new Set<string>();
  for (const conflict of result.conflicts) {
    for (const shift of [...conflict.recorded, ...conflict.merged]) {
      for (const key of [shift.startTap, shift.endTap, shift.byTap]) if (key) conflictTaps.add(key);
      const isDoor = fromDoor.has(shift);
      if (conflict.recorded.includes(shift) && !isDoor) {
        if (shift.kind === "review") continue;
        await reviewSiteEntry(client, shift, email, ownerOf(shift), conflict.reason, before, now);
        continue;
      }
      await insertSiteReview(
        client,
        reviewOf(shift, email, ownerOf(shift), conflict.reason, before),
        now,
      );
    }
  }
  for (const key of fresh.keys()) {
    const [terminal, id] = [
      key.slice(0, key.lastIndexOf("/")),
      key.slice(key.lastIndexOf("/") + 1),
    ];
    await client.query("UPDATE taps SET merge = $3 WHERE terminal_id = $1 AND tap_id = $2", [
      terminal,
      id,
      result.same || !conflictTaps.has(key) ? "agreed" : "conflict",
    ]);
  }
  await saveUserState(client, email, result.state, keys.at(-1) ?? "", now);
  if (queued) await client.query("SELECT pg_notify($1, 'merged')", [ENTRIES_CHANNEL]);
  return { state: result.state, same: result.same };
}

async function recordedShifts(
  client: SiteClient,
  email: string,
  keys: readonly string[],
): Promise<MergeShift[]> {
  const entries = await client.query<{
    id: string;
    start_tap: string;
    end_tap: string;
    start_at: Date;
    end_at: Date;
  }>(
    `SELECT id, start_tap, end_tap, start_at, end_at FROM entries
       WHERE email = $1 AND end_tap = ANY($2) AND state <> 'discarded'`,
    [email, keys],
  );
  const reviews = await client.query<{
    start_tap: string;
    end_tap: string | null;
    by_tap: string;
    start_at: Date;
    end_at: Date | null;
    created_at: Date;
  }>(
    "SELECT start_tap, end_tap, by_tap, start_at, end_at, created_at FROM reviews WHERE email = $1 AND by_tap = ANY($2)",
    [email, keys],
  );
  return [
    ...entries.rows.map((row) => ({
      kind: "entry" as const,
      startTap: row.start_tap,
      endTap: row.end_tap,
      byTap: row.end_tap,
      start: row.start_at,
      end: row.end_at,
      entryId: row.id,
    })),
    ...reviews.rows.map((row) => ({
      kind: "review" as const,
      startTap: row.start_tap,
      endTap: row.end_tap,
      byTap: row.by_tap,
      start: row.start_at,
      end: row.end_at ?? row.created_at,
      entryId: null,
    })),
  ];
}

function reviewOf(
  shift: MergeShift,
  email: string,
  owner: BadgeOwner | undefined,
  reason: string,
  before: UserState<string>,
): SiteReviewDraft {
  const open = before.openShift;
  return {
    email,
    badgeId: owner?.badgeId ?? open?.badgeId ?? "",
    badgeName: owner?.badgeName ?? open?.badgeName ?? null,
    startTap: shift.startTap,
    start: shift.start,
    endTap: shift.endTap,
    end: shift.endTap ? shift.end : null,
    byTap: shift.byTap,
    timeTypeId: owner?.timeTypeId ?? open?.timeTypeId ?? "",
    projectId: owner?.projectId ?? open?.projectId ?? null,
    reason,
    entryId: null,
  };
}

/**
 * A recorded entry the merge does not confirm: not yet sent, it is discarded and goes to review;
 * sent or booked, it stays and the review says so, for the admin to check in GoodTime.
 */
async function reviewSiteEntry(
  client: SiteClient,
  shift: MergeShift,
  email: string,
  owner: BadgeOwner | undefined,
  reason: string,
  before: UserState<string>,
  now: Date,
): Promise<void> {
  const row = await client.query<{ state: string }>(
    "SELECT state FROM entries WHERE id = $1 FOR UPDATE",
    [shift.entryId],
  );
  const state = row.rows[0]?.state;
  const review = reviewOf(shift, email, owner, reason, before);
  if (state === "held" || state === "pending" || state === "refused") {
    await client.query(
      `UPDATE entries SET state = 'discarded', last_error = $2, claimed_by = NULL, lease_until = NULL,
           updated_at = $3 WHERE id = $1`,
      [shift.entryId, `moved to review: ${reason}`, now],
    );
    await insertSiteReview(client, review, now);
    return;
  }
  await insertSiteReview(
    client,
    {
      ...review,
      entryId: shift.entryId,
      reason: `entry ${shift.entryId} for this shift ${state === "booked" ? "is booked" : "was being booked"} in GoodTime already and stays; check it there. ${reason}`,
    },
    now,
  );
}
