import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { bookedText } from "../../admin/booked-view.js";
import { localTime } from "../../admin/format.js";
import { withStore } from "../../admin/session.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { roundingPolicy } from "../../pairing/booked-span.js";
import { renderComment } from "../../pairing/pairing.js";
import { AdminEventLog } from "../../store/admin-events.js";
import { Outbox, type OutboxEntry } from "../../store/outbox.js";
import { type Review, ReviewList } from "../../store/reviews.js";
import type { CliContext } from "../context.js";
import { renderJson, renderTable } from "../output.js";
import { parseDateOption } from "./server.js";

/** Longer than this is almost surely a typo in a date; --force books it anyway. */
const MAX_BOOKED_HOURS = 24;

/** How far back an entry may start and still reach into the new one; longer shifts need --force. */
const OVERLAP_LOOKBACK_MS = 2 * MAX_BOOKED_HOURS * 3_600_000;

const TIME_HELP =
  "ISO 8601, e.g. 2026-03-10T17:30 (in terminal.timeZone) or 2026-03-10T16:30Z / +01:00 with an offset";

interface BookOptions {
  end: string;
  start?: string;
  force?: boolean;
}

function reviewId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(id)) {
    throw new CommandError(
      `review id ${JSON.stringify(text)} is not a number; list open reviews with timeclock review`,
      ExitCode.usage,
    );
  }
  return id;
}

function openReview(reviews: ReviewList, text: string): Review {
  const review = reviews.get(reviewId(text));
  if (!review) {
    throw new CommandError(
      `review ${text} does not exist; list open reviews with timeclock review`,
      ExitCode.refused,
    );
  }
  if (review.resolution !== null) {
    const how = review.resolution === "booked" ? `booked as entry ${review.entryId}` : "discarded";
    throw new CommandError(
      `review ${text} was already ${how} on ${review.resolvedAt?.toISOString() ?? "an unknown date"}; nothing to do`,
      ExitCode.refused,
    );
  }
  return review;
}

/** Refuses times that cannot be a shift; a long one needs --force, as it is most likely a typo. */
function checkSpan(start: Date, end: Date, now: Date, force: boolean): void {
  if (end <= start) {
    throw new CommandError(
      `--end ${end.toISOString()} is not after the start ${start.toISOString()}; give an end after the start`,
      ExitCode.usage,
    );
  }
  const hours = (end.getTime() - start.getTime()) / 3_600_000;
  if (hours > MAX_BOOKED_HOURS && !force) {
    throw new CommandError(
      `the shift would last ${hours.toFixed(1)} h, more than ${MAX_BOOKED_HOURS} h; check --start and --end, or add --force if that is right`,
      ExitCode.usage,
    );
  }
  if (end > now && !force) {
    throw new CommandError(
      `--end ${end.toISOString()} is in the future; book shifts that are over, or add --force`,
      ExitCode.usage,
    );
  }
}

/** Entries of the same user, not discarded, whose time overlaps [start, end). */
function overlappingEntries(outbox: Outbox, email: string, start: Date, end: Date): OutboxEntry[] {
  const earliest = new Date(start.getTime() - OVERLAP_LOOKBACK_MS);
  return outbox
    .listStartingBetween(earliest, end)
    .filter(
      (entry) =>
        entry.email === email &&
        entry.state !== "discarded" &&
        entry.start < end &&
        entry.end > start,
    );
}

function reviewRow(review: Review, zone: string) {
  return {
    id: review.id,
    user: review.badgeName ? `${review.email} (${review.badgeName})` : review.email,
    start: localTime(review.start, zone),
    since: localTime(review.createdAt, zone),
    reason: review.reason,
  };
}

export function registerReviewCommands(program: Command, context: CliContext): void {
  const out = (text: string) => context.stdout.write(text);
  const review = program
    .command("review")
    .description(
      "list shifts the terminal would not book on its own (longer than pairing.maxShiftHours, or timed by a clock that could not be trusted); resolve each with `review book` or `review discard`",
    )
    .option("--json", "print JSON (instants in UTC)")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, context, ({ db, zone }) => {
        const open = new ReviewList(db).open();
        out(
          options.json ? renderJson(open) : renderTable(open.map((item) => reviewRow(item, zone))),
        );
      });
    });

  review
    .command("book")
    .description(
      "book a reviewed shift with the times you give: a new entry is queued (state pending) and the review is resolved as booked",
    )
    .argument("<id>", "the review id, as listed by timeclock review")
    .requiredOption("--end <time>", `when the shift ended, ${TIME_HELP}`)
    .option("--start <time>", `when it started (default: the clock-in tap), ${TIME_HELP}`)
    .option(
      "--force",
      "book even a shift longer than 24 h, one that ends in the future, or one that overlaps another entry of the user",
    )
    .action(async (id: string, options: BookOptions, command: Command) => {
      await withStore(command, context, ({ db, clock, zone, loaded }) => {
        const reviews = new ReviewList(db);
        const item = openReview(reviews, id);
        const start = options.start ? parseDateOption("--start", options.start, zone) : item.start;
        const end = parseDateOption("--end", options.end, zone);
        const now = clock.now();
        checkSpan(start, end, now, options.force ?? false);
        const overlaps = overlappingEntries(new Outbox(db), item.email, start, end);
        if (overlaps.length > 0 && !options.force) {
          const listed = overlaps
            .map(
              (entry) =>
                `${entry.id} (${entry.state}, ${localTime(entry.start, zone)} to ${localTime(entry.end, zone)})`,
            )
            .join(", ");
          throw new CommandError(
            `the shift overlaps ${item.email}'s entry ${listed}; booking both would count the time twice. Fix --start/--end, discard the other entry, or add --force`,
            ExitCode.refused,
          );
        }
        const { config } = loaded;
        const entry = {
          id: randomUUID(),
          email: item.email,
          start,
          end,
          timeTypeId: item.timeTypeId,
          projectId: item.projectId,
          comment: renderComment(config.entry.comment, config.terminal.name, item.badgeName),
          startTapId: item.startTapId,
          rounding: roundingPolicy(config.entry.rounding, zone),
        };
        const events = new AdminEventLog(db);
        const booked = db
          .transaction(() => {
            if (!reviews.book(item.id, entry, now)) return false;
            events.append(
              "review.book",
              String(item.id),
              {
                entryId: entry.id,
                start: start.toISOString(),
                end: end.toISOString(),
                replacesEntryId: item.entryId,
              },
              now,
            );
            return true;
          })
          .immediate();
        if (!booked) {
          openReview(reviews, id);
          throw new CommandError(
            `review ${id} changed while it was being resolved; look again with timeclock review`,
            ExitCode.refused,
          );
        }
        out(
          `booked review ${item.id} as entry ${entry.id} for ${item.email}, ${bookedText(entry, zone)}; the terminal books it at its next sync\n`,
        );
      });
    });

  review
    .command("discard")
    .description("resolve a review without booking anything; the reason is recorded")
    .argument("<id>", "the review id, as listed by timeclock review")
    .requiredOption("--reason <text>", "why the shift is not to be booked")
    .action(async (id: string, options: { reason: string }, command: Command) => {
      const reason = options.reason.trim();
      if (reason === "") {
        throw new CommandError(
          "--reason is empty; say why the shift is not to be booked",
          ExitCode.usage,
        );
      }
      await withStore(command, context, ({ db, clock }) => {
        const reviews = new ReviewList(db);
        const item = openReview(reviews, id);
        const now = clock.now();
        const events = new AdminEventLog(db);
        const discarded = db
          .transaction(() => {
            if (!reviews.discard(item.id, reason, now)) return false;
            events.append("review.discard", String(item.id), { reason, email: item.email }, now);
            return true;
          })
          .immediate();
        if (!discarded) {
          openReview(reviews, id);
          throw new CommandError(
            `review ${id} changed while it was being resolved; look again with timeclock review`,
            ExitCode.refused,
          );
        }
        out(`discarded review ${item.id} (${item.email}); reason recorded\n`);
      });
    });
}
