import type { Clock } from "../core/clock.js";
import { serialiseRounding } from "../pairing/booked-span.js";
import {
  decideTap,
  type EntryDraft,
  type PairingSettings,
  type TapIntent,
  type TapTime,
  type UserState,
} from "../pairing/pairing.js";
import { BadgeRepository, type NewBadge } from "./badges.js";
import { type Db, statement, toDbTime } from "./database.js";
import {
  type EntryDefaults,
  insertTapRow,
  ownerOf,
  type RecordedTap,
  refusalOf,
  refusedTap,
  type TapOutcome,
  type TapRead,
  type TapReasonCode,
} from "./journal.js";
import { type DoorDecision, EMPTY_STATE, parseDoorDecision, parseState } from "./site-state.js";

/**
 * A door's own journal in site mode. Every tap is still journalled here first-hand, in one
 * durable transaction before feedback; beside it, `site_taps` says whether the site database
 * has it and, for a tap paired while the site did not answer, what this door decided (the
 * merge compares it). `site_users` keeps what the door last knew of each user in the site, and
 * the local `badges` table is the door's copy of the site's mapping.
 */

/** What the site decided for a tap it paired (store/site/taps.ts). */
export interface SiteVerdict {
  outcome: TapOutcome;
  reason: string | null;
  reasonCode: TapReasonCode | null;
  email: string | null;
  badgeName: string | null;
  entry: EntryDraft<string> | null;
  reviewed: boolean;
  /** The user's state after the tap; null for a refused tap. */
  stateAfter: UserState<string> | null;
}

/** A journalled tap the site database does not have yet. */
export interface TapToCopy {
  tapId: number;
  read: TapRead;
  time: TapTime;
  outcome: TapOutcome;
  reason: string | null;
  reasonCode: TapReasonCode | null;
  email: string | null;
  provisional: boolean;
  decision: DoorDecision | null;
}

/** The columns of site_taps that keep the span of the shift a clock-out closed, for the screen. */
function entrySpan(
  entry: EntryDraft<string> | null,
): [string | null, string | null, string | null, number | null] {
  if (!entry) return [null, null, null, null];
  return [
    toDbTime(entry.start),
    toDbTime(entry.end),
    serialiseRounding(entry.rounding),
    entry.held ? 1 : 0,
  ];
}

const FLOOR = "tap-id-floor";
const BADGES_VERSION = "badges-version";

export class SiteJournal {
  readonly #db: Db;
  readonly #badges: BadgeRepository;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#badges = new BadgeRepository(db, clock);
  }

  #mark(name: string): number {
    const row = statement(this.#db, "SELECT value FROM site_marks WHERE name = ?").get(name) as
      | { value: number }
      | undefined;
    return row?.value ?? 0;
  }

  #setMark(name: string, value: number): void {
    statement(this.#db, "INSERT OR REPLACE INTO site_marks (name, value) VALUES (?, ?)").run(
      name,
      value,
    );
  }

  /**
   * Skips one tap id at every start: a tap the site database committed just before this door
   * stopped (and never journalled here) keeps its id, so no later tap is taken for it.
   */
  reserveIds(): void {
    const max = (
      statement(this.#db, "SELECT coalesce(max(id), 0) AS id FROM taps").get() as { id: number }
    ).id;
    this.#setMark(FLOOR, Math.max(max, this.#mark(FLOOR)) + 1);
  }

  nextTapId(): number {
    const max = (
      statement(this.#db, "SELECT coalesce(max(id), 0) AS id FROM taps").get() as { id: number }
    ).id;
    return Math.max(max, this.#mark(FLOOR)) + 1;
  }

  /** Journals a tap the site database paired (or refused), as it decided. */
  recordDecided(tapId: number, read: TapRead, time: TapTime, verdict: SiteVerdict): RecordedTap {
    return this.#db
      .transaction(() => {
        const why =
          verdict.reason !== null && verdict.reasonCode !== null
            ? { reason: verdict.reason, code: verdict.reasonCode }
            : null;
        insertTapRow(
          this.#db,
          tapId,
          read,
          time,
          verdict.outcome,
          why,
          verdict.email,
          verdict.entry?.id ?? null,
        );
        statement(
          this.#db,
          `INSERT INTO site_taps (tap_id, provisional, decision, copied_at, entry_start, entry_end,
               entry_rounding, entry_held) VALUES (?, 0, NULL, ?, ?, ?, ?, ?)`,
        ).run(tapId, toDbTime(time.at), ...entrySpan(verdict.entry));
        if (verdict.email && verdict.stateAfter)
          this.#saveUser(verdict.email, verdict.stateAfter, time.at);
        return {
          tapId,
          outcome: verdict.outcome,
          reason: verdict.reason,
          reasonCode: verdict.reasonCode,
          email: verdict.email,
          badgeName: verdict.badgeName,
          entry: verdict.entry,
          reviewed: verdict.reviewed,
        };
      })
      .immediate();
  }

  /**
   * Pairs a tap with what this door last knew, because the site database did not answer in
   * time, and journals it as provisional; the decision is kept for the merge.
   */
  recordProvisional(
    tapId: number,
    key: string,
    read: TapRead,
    time: TapTime,
    settings: PairingSettings,
    defaults: EntryDefaults,
    newEntryId: string,
    intent?: TapIntent,
  ): RecordedTap {
    return this.#db
      .transaction((): RecordedTap => {
        const lookup = this.#badges.lookup(read.badgeId, read.knownBits);
        if (lookup.kind !== "found") {
          const refusal = refusalOf(lookup);
          insertTapRow(this.#db, tapId, read, time, "refused", refusal, null, null);
          statement(
            this.#db,
            "INSERT INTO site_taps (tap_id, provisional, decision, copied_at) VALUES (?, 0, NULL, NULL)",
          ).run(tapId);
          return refusedTap(tapId, refusal);
        }
        const owner = ownerOf(lookup.badge, defaults);
        const decision = decideTap<string>(
          this.userState(owner.email),
          { tapId: key, time, owner, newEntryId, ...(intent ? { intent } : {}) },
          settings,
        );
        const entry = decision.kind === "clock-out" ? decision.entry : null;
        const review = decision.kind === "ignored" ? null : decision.review;
        const why =
          decision.kind === "ignored"
            ? { reason: decision.reason, code: decision.code }
            : review
              ? { reason: review.reason, code: "to-review" as const }
              : null;
        insertTapRow(
          this.#db,
          tapId,
          read,
          time,
          decision.kind,
          why,
          owner.email,
          entry?.id ?? null,
        );
        const record: DoorDecision = {
          owner,
          ...(intent ? { intent } : {}),
          newEntryId,
          entry,
          review,
          stateAfter: decision.state,
        };
        statement(
          this.#db,
          `INSERT INTO site_taps (tap_id, provisional, decision, copied_at, entry_start, entry_end,
               entry_rounding, entry_held) VALUES (?, 1, ?, NULL, ?, ?, ?, ?)`,
        ).run(tapId, JSON.stringify(record), ...entrySpan(entry));
        this.#saveUser(owner.email, decision.state, time.at);
        return {
          tapId,
          outcome: decision.kind,
          reason: why?.reason ?? null,
          reasonCode: why?.code ?? null,
          email: owner.email,
          badgeName: owner.badgeName,
          entry,
          reviewed: review !== null,
        };
      })
      .immediate();
  }

  /** The user's state as this door last knew it. */
  userState(email: string): UserState<string> {
    const row = statement(this.#db, "SELECT state FROM site_users WHERE email = ?").get(email) as
      | { state: string }
      | undefined;
    return row ? parseState(row.state) : EMPTY_STATE;
  }

  #saveUser(email: string, state: UserState<string>, at: Date): void {
    statement(
      this.#db,
      "INSERT OR REPLACE INTO site_users (email, state, updated_at) VALUES (?, ?, ?)",
    ).run(email, JSON.stringify(state), toDbTime(at));
  }

  /** Takes the site's word for these users (after a change at another door, or a merge). */
  saveUsers(states: ReadonlyMap<string, UserState<string>>, at: Date): void {
    if (states.size === 0) return;
    this.#db
      .transaction(() => {
        for (const [email, state] of states) this.#saveUser(email, state, at);
      })
      .immediate();
  }

  /** Taps the site database does not have yet, oldest first. */
  toCopy(limit: number): TapToCopy[] {
    const rows = statement(
      this.#db,
      `SELECT t.id, t.badge_id, t.known_bits, t.raw, t.source, t.wall_at, t.mono_ms, t.boot_id,
              t.clock_synced, t.outcome, t.reason, t.reason_code, t.email, s.provisional, s.decision
         FROM site_taps s JOIN taps t ON t.id = s.tap_id
         WHERE s.copied_at IS NULL AND t.clock_synced = 1 ORDER BY s.tap_id LIMIT ?`,
    ).all(limit) as {
      id: number;
      badge_id: string;
      known_bits: 24 | 32 | 40;
      raw: string | null;
      source: string;
      wall_at: string;
      mono_ms: number;
      boot_id: string;
      clock_synced: number;
      outcome: TapOutcome;
      reason: string | null;
      reason_code: TapReasonCode | null;
      email: string | null;
      provisional: number;
      decision: string | null;
    }[];
    return rows.map((row) => ({
      tapId: row.id,
      read: {
        badgeId: row.badge_id,
        knownBits: row.known_bits,
        raw: row.raw ?? "",
        source: row.source,
      },
      time: {
        at: new Date(row.wall_at),
        monoMs: row.mono_ms,
        bootId: row.boot_id,
        synced: row.clock_synced === 1,
      },
      outcome: row.outcome,
      reason: row.reason,
      reasonCode: row.reason_code,
      email: row.email,
      provisional: row.provisional === 1,
      decision: row.decision ? parseDoorDecision(row.decision) : null,
    }));
  }

  markCopied(tapIds: readonly number[], at: Date): void {
    const mark = statement(this.#db, "UPDATE site_taps SET copied_at = ? WHERE tap_id = ?");
    this.#db
      .transaction(() => {
        for (const id of tapIds) mark.run(toDbTime(at), id);
      })
      .immediate();
  }

  /** Taps paired by this door alone that the site has not merged yet. */
  waiting(): { taps: number; provisional: number } {
    const row = statement(
      this.#db,
      "SELECT count(*) AS taps, coalesce(sum(provisional), 0) AS provisional FROM site_taps WHERE copied_at IS NULL",
    ).get() as { taps: number; provisional: number };
    return row;
  }

  badgesVersion(): number {
    return this.#mark(BADGES_VERSION);
  }

  /** Brings the door's copy of the site's mapping up to `version`, all or nothing. */
  applyBadgeChanges(
    version: number,
    changed: readonly NewBadge[],
    removed: readonly string[],
    full: boolean,
  ): void {
    this.#db
      .transaction(() => {
        if (full) statement(this.#db, "DELETE FROM badges").run();
        for (const badge of changed) this.#badges.put(badge);
        for (const badgeId of removed) this.#badges.remove(badgeId);
        this.#setMark(BADGES_VERSION, version);
      })
      .immediate();
  }
}
