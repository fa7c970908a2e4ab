import type { Clock } from "../core/clock.js";
import {
  type BadgeOwner,
  decideTap,
  type EntryDraft,
  type OpenShift,
  type PairingSettings,
  type TapIntent,
  type TapTime,
  type UserState,
} from "../pairing/pairing.js";
import { BadgeRepository } from "./badges.js";
import { type Db, fromDbTime, statement, toDbTime } from "./database.js";
import { Outbox } from "./outbox.js";

export interface TapRead {
  badgeId: string;
  knownBits: 24 | 32 | 40;
  raw: string;
  source: string;
}

export type TapOutcome = "clock-in" | "clock-out" | "ignored" | "refused";

export interface RecordedTap {
  tapId: number;
  outcome: TapOutcome;
  reason: string | null;
  email: string | null;
  badgeName: string | null;
  entry: EntryDraft | null;
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
      const reason =
        lookup.kind === "unknown"
          ? "unknown badge: not mapped to any user (timeclock badges add)"
          : `ambiguous badge: the bits this reader sees match ${lookup.badges.length} mapped badges (timeclock badges list); map the badge by its full 10-hex ID`;
      this.#insertTap(tapId, read, time, "refused", reason, null, null);
      return {
        tapId,
        outcome: "refused",
        reason,
        email: null,
        badgeName: null,
        entry: null,
        reviewed: false,
      };
    }
    const badge = lookup.badge;
    const owner: BadgeOwner = {
      email: badge.email,
      badgeId: badge.badgeId,
      badgeName: badge.name,
      timeTypeId: badge.timeTypeId ?? defaults.timeTypeId,
      projectId: badge.projectId ?? defaults.projectId,
    };
    const state = this.#userState(owner.email);
    const decision = decideTap(
      state,
      { tapId, time, owner, newEntryId: this.#newId(), intent },
      settings,
    );

    if (decision.kind === "ignored") {
      this.#insertTap(tapId, read, time, "ignored", decision.reason, owner.email, null);
      return {
        tapId,
        outcome: "ignored",
        reason: decision.reason,
        email: owner.email,
        badgeName: badge.name,
        entry: null,
        reviewed: false,
      };
    }
    const entry = decision.kind === "clock-out" ? decision.entry : null;
    const review = decision.review;
    this.#insertTap(
      tapId,
      read,
      time,
      decision.kind,
      review?.reason ?? null,
      owner.email,
      entry?.id ?? null,
    );
    if (entry) this.#outbox.enqueue(entry, entry.held ? "held" : "pending", time.at);
    if (review) this.#insertReview(review.email, review.shift, review.reason, time.at);
    this.#saveState(owner.email, tapId, decision.state);
    return {
      tapId,
      outcome: decision.kind,
      reason: review?.reason ?? null,
      email: owner.email,
      badgeName: badge.name,
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

  #insertTap(
    id: number,
    read: TapRead,
    time: TapTime,
    outcome: TapOutcome,
    reason: string | null,
    email: string | null,
    entryId: string | null,
  ): void {
    statement(
      this.#db,
      `INSERT INTO taps (id, badge_id, known_bits, raw, source, wall_at, mono_ms, boot_id, clock_synced,
           outcome, reason, email, entry_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      reason,
      email,
      entryId,
    );
  }

  #insertReview(email: string, shift: OpenShift, reason: string, now: Date): void {
    statement(
      this.#db,
      `INSERT INTO reviews (email, badge_id, start_tap_id, start_at, time_type_id, project_id, badge_name,
           reason, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      email,
      shift.badgeId,
      shift.startTapId,
      toDbTime(shift.start.at),
      shift.timeTypeId,
      shift.projectId,
      shift.badgeName,
      reason,
      toDbTime(now),
    );
  }
}
