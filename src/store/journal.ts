import type { Clock } from "../core/clock.js";
import {
  type BadgeOwner,
  decideTap,
  type EntryDraft,
  type IgnoreCode,
  type OpenShift,
  type PairingSettings,
  type TapIntent,
  type TapRef,
  type TapTime,
  type UserState,
} from "../pairing/pairing.js";
import { type Badge, type BadgeLookup, BadgeRepository } from "./badges.js";
import { type Db, fromDbTime, statement, toDbTime } from "./database.js";
import { Outbox } from "./outbox.js";
import { addReview } from "./reviews.js";

export interface TapRead {
  badgeId: string;
  knownBits: 24 | 32 | 40;
  raw: string;
  source: string;
}

export type TapOutcome = "clock-in" | "clock-out" | "ignored" | "refused";

/**
 * Why a tap was refused or ignored, stored beside the reason in words so that reports and the
 * admin commands select by code, never by the wording.
 */
/** "to-review": the tap closed or replaced a shift that went to review (its reason says why). */
export type TapReasonCode = "unknown-badge" | "ambiguous-badge" | "to-review" | IgnoreCode;

export interface RecordedTap {
  tapId: number;
  outcome: TapOutcome;
  reason: string | null;
  reasonCode: TapReasonCode | null;
  email: string | null;
  badgeName: string | null;
  entry: EntryDraft<TapRef> | null;
  /** An overlong or broken shift was moved to the review list by this tap. */
  reviewed: boolean;
}

export interface EntryDefaults {
  timeTypeId: string;
  projectId: string | null;
}

interface ShiftRow {
  badge_id: string;
  badge_name: string | null;
  start_tap_id: number;
  start_at: string;
  start_mono_ms: number;
  start_boot_id: string;
  start_synced: number;
  time_type_id: string;
  project_id: string | null;
}

interface ActivityRow {
  last_at: string;
  last_mono_ms: number;
  last_boot_id: string;
}

/**
 * Writes each tap into the append-only journal together with everything it decides (shift opened
 * or closed, entry queued, shift sent to review) in one durable transaction. Feedback is given only
 * after `record` returns, so "accepted" always means "on disk".
 */
export class TapJournal {
  readonly #db: Db;
  readonly #badges: BadgeRepository;
  readonly #outbox: Outbox;
  readonly #newId: () => string;

  constructor(db: Db, clock: Clock, newId: () => string) {
    this.#db = db;
    this.#badges = new BadgeRepository(db, clock);
    this.#outbox = new Outbox(db);
    this.#newId = newId;
  }

  record(
    read: TapRead,
    time: TapTime,
    settings: PairingSettings,
    defaults: EntryDefaults,
    intent?: TapIntent,
  ): RecordedTap {
    return this.#db
      .transaction(() => this.#record(read, time, settings, defaults, intent))
      .immediate();
  }

  #record(
    read: TapRead,
    time: TapTime,
    settings: PairingSettings,
    defaults: EntryDefaults,
    intent?: TapIntent,
  ): RecordedTap {
    const tapId = (
      statement(this.#db, "SELECT coalesce(max(id), 0) + 1 AS id FROM taps").get() as { id: number }
    ).id;
    const lookup = this.#badges.lookup(read.badgeId, read.knownBits);
    if (lookup.kind !== "found") {
      const refusal = refusalOf(lookup);
      insertTapRow(this.#db, tapId, read, time, "refused", refusal, null, null);
      return refusedTap(tapId, refusal);
    }
    const owner = ownerOf(lookup.badge, defaults);
    const state = this.#userState(owner.email);
    const decision = decideTap(
      state,
      { tapId, time, owner, newEntryId: this.#newId(), intent },
      settings,
    );

    if (decision.kind === "ignored") {
      const why = { reason: decision.reason, code: decision.code };
      insertTapRow(this.#db, tapId, read, time, "ignored", why, owner.email, null);
      return {
        tapId,
        outcome: "ignored",
        reason: decision.reason,
        reasonCode: decision.code,
        email: owner.email,
        badgeName: owner.badgeName,
        entry: null,
        reviewed: false,
      };
    }
    const entry = decision.kind === "clock-out" ? decision.entry : null;
    const review = decision.review;
    const why = review ? { reason: review.reason, code: "to-review" as const } : null;
    insertTapRow(this.#db, tapId, read, time, decision.kind, why, owner.email, entry?.id ?? null);
    if (entry) this.#outbox.enqueue(entry, entry.held ? "held" : "pending", time.at);
    if (review) {
      const { shift } = review;
      addReview(this.#db, {
        email: review.email,
        badgeId: shift.badgeId,
        badgeName: shift.badgeName,
        startTapId: shift.startTapId,
        start: shift.start.at,
        timeTypeId: shift.timeTypeId,
        projectId: shift.projectId,
        reason: review.reason,
        createdAt: time.at,
        entryId: null,
      });
    }
    this.#saveState(owner.email, tapId, decision.state);
    return {
      tapId,
      outcome: decision.kind,
      reason: review?.reason ?? null,
      reasonCode: why?.code ?? null,
      email: owner.email,
      badgeName: owner.badgeName,
      entry,
      reviewed: review !== null,
    };
  }

  #userState(email: string): UserState {
    const shift = statement(this.#db, "SELECT * FROM open_shifts WHERE email = ?").get(email) as
      | ShiftRow
      | undefined;
    const activity = statement(this.#db, "SELECT * FROM user_activity WHERE email = ?").get(
      email,
    ) as ActivityRow | undefined;
    const openShift: OpenShift | null = shift
      ? {
          badgeId: shift.badge_id,
          badgeName: shift.badge_name,
          startTapId: shift.start_tap_id,
          start: {
            at: fromDbTime(shift.start_at),
            monoMs: shift.start_mono_ms,
            bootId: shift.start_boot_id,
            synced: shift.start_synced === 1,
          },
          timeTypeId: shift.time_type_id,
          projectId: shift.project_id,
        }
      : null;
    const lastAccepted: TapTime | null = activity
      ? {
          at: fromDbTime(activity.last_at),
          monoMs: activity.last_mono_ms,
          bootId: activity.last_boot_id,
          synced: true,
        }
      : null;
    return { openShift, lastAccepted };
  }

  #saveState(email: string, tapId: number, state: UserState): void {
    const shift = state.openShift;
    if (shift) {
      statement(
        this.#db,
        `INSERT OR REPLACE INTO open_shifts (email, badge_id, badge_name, start_tap_id, start_at, start_mono_ms,
             start_boot_id, start_synced, time_type_id, project_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        email,
        shift.badgeId,
        shift.badgeName,
        shift.startTapId,
        toDbTime(shift.start.at),
        shift.start.monoMs,
        shift.start.bootId,
        shift.start.synced ? 1 : 0,
        shift.timeTypeId,
        shift.projectId,
      );
    } else {
      statement(this.#db, "DELETE FROM open_shifts WHERE email = ?").run(email);
    }
    const last = state.lastAccepted;
    if (last) {
      statement(
        this.#db,
        `INSERT OR REPLACE INTO user_activity (email, last_tap_id, last_at, last_mono_ms, last_boot_id)
           VALUES (?, ?, ?, ?, ?)`,
      ).run(email, tapId, toDbTime(last.at), last.monoMs, last.bootId);
    }
  }
}

/** Why a read that names no single mapped badge is refused, as the tap's row keeps it. */
export function refusalOf(lookup: Exclude<BadgeLookup, { kind: "found" }>): {
  reason: string;
  code: TapReasonCode;
} {
  if (lookup.kind === "unknown") {
    return {
      reason: "unknown badge: not mapped to any user (timeclock badges add)",
      code: "unknown-badge",
    };
  }
  return {
    reason: `ambiguous badge: the bits this reader sees match ${lookup.badges.length} mapped badges (timeclock badges list); map the badge by its full 10-hex ID`,
    code: "ambiguous-badge",
  };
}

/** A refused tap as the terminal answers it: nobody's, no entry. */
export function refusedTap(
  tapId: number,
  refusal: { reason: string; code: TapReasonCode },
): RecordedTap {
  return {
    tapId,
    outcome: "refused",
    reason: refusal.reason,
    reasonCode: refusal.code,
    email: null,
    badgeName: null,
    entry: null,
    reviewed: false,
  };
}

/** Who a mapped badge's taps belong to, with the config's defaults where the mapping has none. */
export function ownerOf(badge: Badge, defaults: EntryDefaults): BadgeOwner {
  return {
    email: badge.email,
    badgeId: badge.badgeId,
    badgeName: badge.name,
    timeTypeId: badge.timeTypeId ?? defaults.timeTypeId,
    projectId: badge.projectId ?? defaults.projectId,
  };
}

/** Appends one tap to the journal, inside the caller's transaction. */
export function insertTapRow(
  db: Db,
  id: number,
  read: TapRead,
  time: TapTime,
  outcome: TapOutcome,
  why: { reason: string; code: TapReasonCode } | null,
  email: string | null,
  entryId: string | null,
): void {
  statement(
    db,
    `INSERT INTO taps (id, badge_id, known_bits, raw, source, wall_at, mono_ms, boot_id, clock_synced,
         outcome, reason, reason_code, email, entry_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    read.badgeId,
    read.knownBits,
    read.raw,
    read.source,
    toDbTime(time.at),
    time.monoMs,
    time.bootId,
    time.synced ? 1 : 0,
    outcome,
    why?.reason ?? null,
    why?.code ?? null,
    email,
    entryId,
  );
}
