import type { BadgeLookup } from "../store/badges.js";
import type { EntryOverride } from "../store/entry-overrides.js";
import type { EntryState, OutboxEntry } from "../store/outbox.js";
import type { OpenShiftView, TapView } from "../store/reports.js";
import type { Review } from "../store/reviews.js";
import type { EntryFields } from "./entry-fields.js";

/**
 * The port the queue, review and export use cases work through: the entries, reviews and taps of
 * this terminal's journal (entry-store-local.ts) or, in site mode, of the site database
 * (site/entries.ts), where every door's entries and reviews live. The hours reports read through
 * it too, so that in site mode they count the shifts of every door. Reads and changes are async,
 * since the site database is across the network; the decisions stay in the use cases, as
 * synchronous callbacks the store runs while it holds the rows, so both stores decide alike.
 */

/** An entry as an admin reads it. */
export type AdminEntry = OutboxEntry & {
  /** Site mode: the door whose tap began the shift (`startTapId` is that door's number). */
  door: string | null;
  /** What an admin set with `queue edit`, if anything. */
  override: EntryOverride | null;
  /** Site mode: a door's sync holds the entry to book it; set only while the lease runs. */
  claim: { by: string; until: Date } | null;
};

export type AdminReview = Review & { door: string | null };
export type AdminTap = TapView & { door: string | null };

/** An entry locked for a change, with the badge of its clock-in tap in today's mapping. */
export interface LockedEntry {
  entry: AdminEntry;
  badge: { text: string; lookup: BadgeLookup } | null;
}

/** Something an admin did, for the admin record. */
export interface AdminEventDraft {
  action: string;
  subject: string;
  detail: unknown;
}

/**
 * What to do with one locked entry. `reassign` books it with these fields (a refused entry goes
 * back in line) and keeps `override` as the admin's choice; neither touches `ambiguous` nor
 * `sent_as` (contract 3). `discard` gives up on it.
 */
export type EntryChange =
  | { kind: "reassign"; id: string; fields: EntryFields; override?: EntryOverride }
  | { kind: "discard"; id: string };

export interface EntryDecision<T> {
  changes: EntryChange[];
  events: AdminEventDraft[];
  result: T;
}

/** A new entry for a reviewed shift; its clock-in tap is the review's. */
export type ReviewedEntry = Pick<
  OutboxEntry,
  "id" | "email" | "start" | "end" | "rounding" | "timeTypeId" | "projectId" | "comment"
>;

export interface EntryStore {
  /** Where the entries live, for messages: "this terminal's journal" or the site database. */
  readonly place: string;
  /** Entries in these states (all of them for "all"), oldest shift first, at most `limit`. */
  list(states: readonly EntryState[] | "all", limit: number): Promise<AdminEntry[]>;
  /** Entries that start in [from, to), in start order. */
  startingBetween(from: Date, to: Date): Promise<AdminEntry[]>;
  /** Taps whose wall-clock time lies in [from, to). */
  tapsBetween(from: Date, to: Date): Promise<AdminTap[]>;
  /** Ids of the entries starting in [from, to) whose clock-in or clock-out was tapped by PIN. */
  tappedByPin(from: Date, to: Date): Promise<Set<string>>;
  /** Every shift still open, earliest first. */
  openShifts(): Promise<OpenShiftView[]>;
  /**
   * Locks one entry (or every refused one), lets `decide` choose, and applies and records what
   * it returns, all in one transaction; what `decide` throws leaves everything as it was. A
   * missing id gives `decide` an empty list.
   */
  change<T>(
    target: { id: string } | { state: "refused" },
    decide: (locked: LockedEntry[]) => EntryDecision<T>,
    who: { actor: string; now: Date },
  ): Promise<T>;
  openReviews(): Promise<AdminReview[]>;
  review(id: number): Promise<AdminReview | undefined>;
  /** Queues the entry and resolves the review, once; false when it was resolved meanwhile. */
  bookReview(
    id: number,
    entry: ReviewedEntry,
    event: AdminEventDraft,
    who: { actor: string; now: Date },
  ): Promise<boolean>;
  /** Resolves the review as not to be booked; false when it was resolved meanwhile. */
  discardReview(
    id: number,
    note: string,
    event: AdminEventDraft,
    who: { actor: string; now: Date },
  ): Promise<boolean>;
}
