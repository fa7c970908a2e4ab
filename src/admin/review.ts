import { timeOrderedUuid } from "../core/ids.js";
import { type RoundingPolicy, roundingPolicy } from "../pairing/booked-span.js";
import { renderComment } from "../pairing/pairing.js";
import type { AdminDeps, DaemonNote } from "./deps.js";
import type { AdminEntry, AdminReview, EntryStore } from "./entry-store.js";
import { entriesOf } from "./entry-store-local.js";
import { AdminError } from "./errors.js";
import { localTime } from "./format.js";

/** Longer than this is almost surely a typo in a date; `force` books it anyway. */
export const MAX_BOOKED_HOURS = 24;

/** How far back an entry may start and still reach into the new one. */
const OVERLAP_LOOKBACK_MS = 2 * MAX_BOOKED_HOURS * 3_600_000;

/** Unresolved reviews (the site's in site mode), oldest shift first. */
export function listReviews(deps: AdminDeps): Promise<AdminReview[]> {
  return entriesOf(deps).openReviews();
}

async function openReview(store: EntryStore, id: number): Promise<AdminReview> {
  const review = await store.review(id);
  if (!review) {
    throw new AdminError(
      "ADM_NOT_FOUND",
      `review ${id} does not exist; list open reviews with timeclock review`,
    );
  }
  if (review.resolution !== null) {
    const how = review.resolution === "booked" ? `booked as entry ${review.entryId}` : "discarded";
    throw new AdminError(
      "ADM_WRONG_STATE",
      `review ${id} was already ${how} on ${review.resolvedAt?.toISOString() ?? "an unknown date"}; nothing to do`,
    );
  }
  return review;
}

/** Refuses times that cannot be a shift; a long one or one in the future needs `force`. */
function checkSpan(start: Date, end: Date, now: Date, force: boolean): void {
  if (end <= start) {
    throw new AdminError(
      "ADM_INVALID",
      `--end ${end.toISOString()} is not after the start ${start.toISOString()}; give an end after the start`,
    );
  }
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  if (hours > MAX_BOOKED_HOURS && !force) {
    throw new AdminError(
      "ADM_INVALID",
      `the shift would last ${hours.toFixed(1)} h, more than ${MAX_BOOKED_HOURS} h; check --start and --end, or add --force if that is right`,
    );
  }
  if (end > now && !force) {
    throw new AdminError(
      "ADM_INVALID",
      `--end ${end.toISOString()} is in the future; book shifts that are over, or add --force`,
    );
  }
}

/** Entries of the same user, not discarded, whose time overlaps [start, end). */
async function overlappingEntries(
  store: EntryStore,
  email: string,
  start: Date,
  end: Date,
): Promise<AdminEntry[]> {
  const earliest = new Date(start.getTime() - OVERLAP_LOOKBACK_MS);
  return (await store.startingBetween(earliest, end)).filter(
    (entry) =>
      entry.email === email &&
      entry.state !== "discarded" &&
      entry.start < end &&
      entry.end > start,
  );
}

export interface BookReviewInput {
  id: number;
  /** Default: the clock-in tap. */
  start?: Date;
  end: Date;
  /** Book even a shift over 24 h, one ending in the future, or one overlapping another entry. */
  force?: boolean;
}

export interface BookReviewResult {
  review: AdminReview;
  entry: { id: string; email: string; start: Date; end: Date; rounding: RoundingPolicy | null };
  daemon: DaemonNote;
}

/** Books a reviewed shift with the times given: a new entry is queued and the review resolved. */
export async function bookReview(
  deps: AdminDeps,
  input: BookReviewInput,
): Promise<BookReviewResult> {
  const store = entriesOf(deps);
  const item = await openReview(store, input.id);
  const start = input.start ?? item.start;
  const now = deps.clock.now();
  checkSpan(start, input.end, now, input.force ?? false);
  const overlaps = await overlappingEntries(store, item.email, start, input.end);
  if (overlaps.length > 0 && !input.force) {
    const zone = deps.config.terminal.timeZone;
    const listed = overlaps
      .map(
        (entry) =>
          `${entry.id} (${entry.state}, ${localTime(entry.start, zone)} to ${localTime(entry.end, zone)})`,
      )
      .join(", ");
    throw new AdminError(
      "ADM_OVERLAP",
      `the shift overlaps ${item.email}'s entry ${listed}; booking both would count the time twice. Fix --start/--end, discard the other entry, or add --force`,
    );
  }
  const { config } = deps;
  const entry = {
    id: timeOrderedUuid(now),
    email: item.email,
    start,
    end: input.end,
    timeTypeId: item.timeTypeId,
    projectId: item.projectId,
    comment: renderComment(config.entry.comment, config.terminal.name, item.badgeName),
    rounding: roundingPolicy(config.entry.rounding, config.terminal.timeZone),
  };
  const booked = await store.bookReview(
    item.id,
    entry,
    {
      action: "review.book",
      subject: String(item.id),
      detail: {
        entryId: entry.id,
        start: start.toISOString(),
        end: input.end.toISOString(),
        replacesEntryId: item.entryId,
      },
    },
    { actor: deps.actor, now },
  );
  if (!booked) {
    await openReview(store, input.id);
    throw new AdminError(
      "ADM_CHANGED",
      `review ${input.id} changed while it was being resolved; look again with timeclock review`,
    );
  }
  const daemon = await deps.daemon.notify({
    type: "entries-changed",
    action: "review-book",
    count: 1,
    entryIds: [entry.id],
  });
  return { review: item, entry, daemon };
}

/** Resolves a review without booking anything; the reason goes into the admin record. */
export async function discardReview(
  deps: AdminDeps,
  input: { id: number; reason: string },
): Promise<AdminReview> {
  const reason = input.reason.trim();
  if (reason === "") {
    throw new AdminError("ADM_INVALID", "--reason is empty; say why the shift is not to be booked");
  }
  const store = entriesOf(deps);
  const item = await openReview(store, input.id);
  const now = deps.clock.now();
  const discarded = await store.discardReview(
    item.id,
    reason,
    { action: "review.discard", subject: String(item.id), detail: { reason, email: item.email } },
    { actor: deps.actor, now },
  );
  if (!discarded) {
    await openReview(store, input.id);
    throw new AdminError(
      "ADM_CHANGED",
      `review ${input.id} changed while it was being resolved; look again with timeclock review`,
    );
  }
  return item;
}
