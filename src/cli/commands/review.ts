import type { Command } from "commander";
import { bookedText } from "../../admin/booked-view.js";
import { localTime } from "../../admin/format.js";
import {
  type AdminReview,
  bookReview,
  discardReview,
  listReviews,
  MAX_BOOKED_HOURS,
} from "../../admin/index.js";
import { CommandError, ExitCode } from "../../core/exit-codes.js";
import { reportDaemon, withStore } from "../admin-session.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { renderJson, renderTable } from "../output.js";
import { parseDateOption } from "./server.js";

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

function reviewRow(review: AdminReview, zone: string) {
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
    .description(describeCommand("review"))
    .option("--json", "print JSON (instants in UTC)")
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, context, "read", async ({ deps, zone }) => {
        const open = await listReviews(deps);
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
      `book even a shift longer than ${MAX_BOOKED_HOURS} h, one that ends in the future, or one that overlaps another entry of the user`,
    )
    .action(async (id: string, options: BookOptions, command: Command) => {
      await withStore(command, context, "write", async ({ deps, zone }) => {
        const result = await bookReview(deps, {
          id: reviewId(id),
          end: parseDateOption("--end", options.end, zone),
          ...(options.start ? { start: parseDateOption("--start", options.start, zone) } : {}),
          force: options.force ?? false,
        });
        const { entry } = result;
        out(
          `booked review ${result.review.id} as entry ${entry.id} for ${entry.email}, ${bookedText(entry, zone)}; queued to be booked\n`,
        );
        reportDaemon(context, result.daemon);
      });
    });

  review
    .command("discard")
    .description(
      "resolve a review without booking anything; the reason is recorded (timeclock audit)",
    )
    .argument("<id>", "the review id, as listed by timeclock review")
    .requiredOption("--reason <text>", "why the shift is not to be booked")
    .action(async (id: string, options: { reason: string }, command: Command) => {
      await withStore(command, context, "write", async ({ deps }) => {
        const item = await discardReview(deps, { id: reviewId(id), reason: options.reason });
        out(`discarded review ${item.id} (${item.email}); reason recorded\n`);
      });
    });
}
