import { formatBadge } from "../badges/badge-id.js";
import type { Clock } from "../core/clock.js";
import { AdminEventLog } from "../store/admin-events.js";
import { BadgeRepository } from "../store/badges.js";
import { type Db, writeTransaction } from "../store/database.js";
import { EntryOverrides } from "../store/entry-overrides.js";
import { type EntryState, Outbox, type OutboxEntry } from "../store/outbox.js";
import { entriesTappedByPin, openShifts, tapBadge, tapsBetween } from "../store/reports.js";
import { ReviewList } from "../store/reviews.js";
import type { AdminDeps } from "./deps.js";
import type { AdminEntry, EntryStore, LockedEntry } from "./entry-store.js";

/**
 * The entry store of a lone terminal: its own journal. A change runs in one immediate write
 * transaction, which is the lock: the daemon's sync waits for it and reads the result.
 */
export function localEntryStore(db: Db, clock: Clock): EntryStore {
  const outbox = new Outbox(db);
  const overrides = new EntryOverrides(db);
  const reviews = new ReviewList(db);
  const asAdmin = (entry: OutboxEntry): AdminEntry => ({
    ...entry,
    door: null,
    override: overrides.get(entry.id)?.fields ?? null,
    claim: null,
  });
  const locked = (entry: OutboxEntry): LockedEntry => {
    const badge = tapBadge(db, entry.startTapId);
    return {
      entry: asAdmin(entry),
      badge: badge
        ? {
            text: formatBadge(badge),
            lookup: new BadgeRepository(db, clock).lookup(badge.badgeId, badge.knownBits),
          }
        : null,
    };
  };
  const byStart = (a: OutboxEntry, b: OutboxEntry) =>
    a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id);
  const noReview = { door: null };
  return {
    place: "this terminal's journal",
    async list(states, limit) {
      const entries =
        states === "all"
          ? outbox.list(undefined, limit)
          : states
              .flatMap((state: EntryState) => outbox.list(state, limit))
              .sort(byStart)
              .slice(0, limit);
      return entries.map(asAdmin);
    },
    async startingBetween(from, to) {
      return outbox.listStartingBetween(from, to).map(asAdmin);
    },
    async tapsBetween(from, to) {
      return tapsBetween(db, from, to).map((tap) => ({ ...tap, door: null }));
    },
    async tappedByPin(from, to) {
      return entriesTappedByPin(db, from, to);
    },
    async openShifts() {
      return openShifts(db);
    },
    async change(target, decide, who) {
      return writeTransaction(db, () => {
        const found =
          "id" in target
            ? [outbox.get(target.id)].filter((entry) => entry !== undefined)
            : outbox.list("refused");
        const decision = decide(found.map(locked));
        for (const change of decision.changes) {
          if (change.kind === "discard") {
            outbox.discard(change.id, who.now);
            continue;
          }
          if (change.override) overrides.merge(change.id, change.override, who.now);
          outbox.reassign(change.id, change.fields, who.now);
        }
        const log = new AdminEventLog(db, who.actor);
        for (const event of decision.events) {
          log.append(event.action, event.subject, event.detail, who.now);
        }
        return decision.result;
      });
    },
    async openReviews() {
      return reviews.open().map((review) => ({ ...review, ...noReview }));
    },
    async review(id) {
      const review = reviews.get(id);
      return review ? { ...review, ...noReview } : undefined;
    },
    async bookReview(id, entry, event, who) {
      return writeTransaction(db, () => {
        const review = reviews.get(id);
        if (!review || !reviews.book(id, { ...entry, startTapId: review.startTapId }, who.now)) {
          return false;
        }
        new AdminEventLog(db, who.actor).append(event.action, event.subject, event.detail, who.now);
        return true;
      });
    },
    async discardReview(id, note, event, who) {
      return writeTransaction(db, () => {
        if (!reviews.discard(id, note, who.now)) return false;
        new AdminEventLog(db, who.actor).append(event.action, event.subject, event.detail, who.now);
        return true;
      });
    },
  };
}

/** Where the admin's entries live: the site database in site mode, else this journal. */
export function entriesOf(deps: AdminDeps): EntryStore {
  return deps.siteEntries ?? localEntryStore(deps.db, deps.clock);
}
