import { formatBadge } from "../badges/badge-id.js";
import { MAX_IDS } from "../control/protocol.js";
import { AdminEventLog } from "../store/admin-events.js";
import { BadgeRepository } from "../store/badges.js";
import { writeTransaction } from "../store/database.js";
import { type EntryOverride, EntryOverrides } from "../store/entry-overrides.js";
import { ENTRY_STATES, type EntryState, Outbox, type OutboxEntry } from "../store/outbox.js";
import { tapBadge } from "../store/reports.js";
import { normaliseEmail, optionalText } from "./badge-rules.js";
import { type BookedView, bookedView } from "./booked-view.js";
import type { AdminDeps, DaemonNote } from "./deps.js";
import { currentFields, type EntryFields } from "./entry-fields.js";
import { AdminError } from "./errors.js";

/** States an admin still has to care about; what `queue` lists unless told otherwise. */
export const UNFINISHED: readonly EntryState[] = ["held", "pending", "sending", "refused"];

export const QUEUE_FILTERS = [...ENTRY_STATES, "unfinished", "all"] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** An outbox entry with what an admin set, and the span GoodTime books (whole minutes, rounding). */
export type QueueEntry = OutboxEntry & { override: EntryOverride | null; booked: BookedView };

/** The outbox, oldest shift first; the server's reason for a refusal in full. */
export function listQueue(
  deps: AdminDeps,
  query: { state: QueueFilter; limit: number },
): QueueEntry[] {
  const outbox = new Outbox(deps.db);
  const overrides = new EntryOverrides(deps.db);
  const states = query.state === "unfinished" ? UNFINISHED : [query.state];
  const entries =
    query.state === "all"
      ? outbox.list(undefined, query.limit)
      : states
          .flatMap((state) => outbox.list(state as EntryState, query.limit))
          .sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id))
          .slice(0, query.limit);
  return entries.map((entry) => ({
    ...entry,
    override: overrides.get(entry.id)?.fields ?? null,
    booked: bookedView(entry),
  }));
}

function entryOrRefuse(outbox: Outbox, id: string): OutboxEntry {
  const entry = outbox.get(id);
  if (!entry) {
    throw new AdminError(
      "ADM_NOT_FOUND",
      `entry ${JSON.stringify(id)} does not exist; list entries with timeclock queue --state all`,
    );
  }
  return entry;
}

function notifyEntries(
  deps: AdminDeps,
  action: "retry" | "edit" | "discard",
  ids: readonly string[],
): Promise<DaemonNote> {
  return deps.daemon.notify({
    type: "entries-changed",
    action,
    count: ids.length,
    entryIds: ids.slice(0, MAX_IDS),
  });
}

/** The fields an entry is booked with now (see `currentFields`), or why there are none. */
function fieldsNow(deps: AdminDeps, entry: OutboxEntry) {
  const badge = tapBadge(deps.db, entry.startTapId);
  const { config } = deps;
  const override = new EntryOverrides(deps.db).get(entry.id)?.fields ?? null;
  return currentFields({
    entry,
    override,
    badge: badge
      ? {
          text: formatBadge({ badgeId: badge.badgeId, knownBits: badge.knownBits }),
          lookup: new BadgeRepository(deps.db, deps.clock).lookup(badge.badgeId, badge.knownBits),
        }
      : { text: `of tap ${entry.startTapId}`, lookup: { kind: "unknown" } },
    defaults: { timeTypeId: config.entry.timeTypeId, projectId: config.entry.projectId },
    keyTimeTypes: config.feedback.keys.flatMap((key) => (key.timeTypeId ? [key.timeTypeId] : [])),
  });
}

export interface RetriedEntry {
  id: string;
  before: EntryFields;
  after: EntryFields;
}

export interface RetryResult {
  retried: RetriedEntry[];
  /** With `allRefused`: entries that could not be put back, and why. */
  skipped: { id: string; reason: string }[];
  daemon: DaemonNote | null;
}

/**
 * Puts refused entries back in line, booked with what is true now: the admin's override, else
 * the badge's current mapping. One entry that cannot be retried is an error; with `allRefused`
 * such entries are skipped and listed.
 */
export async function retryEntries(
  deps: AdminDeps,
  input: { id: string } | { allRefused: true },
): Promise<RetryResult> {
  const outbox = new Outbox(deps.db);
  const events = new AdminEventLog(deps.db, deps.actor);
  const now = deps.clock.now();
  const result = writeTransaction(deps.db, () => {
    const retried: RetriedEntry[] = [];
    const skipped: { id: string; reason: string }[] = [];
    const candidates = "id" in input ? [entryOrRefuse(outbox, input.id)] : outbox.list("refused");
    for (const entry of candidates) {
      if (entry.state !== "refused") {
        throw new AdminError(
          "ADM_WRONG_STATE",
          `entry ${JSON.stringify(entry.id)} is ${entry.state}, not refused; only refused entries can be retried`,
        );
      }
      const current = fieldsNow(deps, entry);
      if (!current.ok) {
        if ("id" in input) {
          throw new AdminError(
            current.code,
            `entry ${entry.id} cannot be retried: ${current.reason}`,
          );
        }
        skipped.push({ id: entry.id, reason: current.reason });
        continue;
      }
      outbox.reassign(entry.id, current.fields, now);
      const before = {
        email: entry.email,
        timeTypeId: entry.timeTypeId,
        projectId: entry.projectId,
      };
      events.append("entry.retry", entry.id, { before, after: current.fields }, now);
      retried.push({ id: entry.id, before, after: current.fields });
    }
    return { retried, skipped };
  });
  const ids = result.retried.map((entry) => entry.id);
  return { ...result, daemon: ids.length > 0 ? await notifyEntries(deps, "retry", ids) : null };
}

export interface EditEntryInput {
  id: string;
  email?: string;
  timeTypeId?: string;
  /** null: book without a project. */
  projectId?: string | null;
}

export interface EditEntryResult {
  before: EntryFields;
  after: EntryFields;
  /** Everything the admin has set for this entry so far; retries keep it. */
  override: EntryOverride;
  state: EntryState;
  daemon: DaemonNote;
}

/**
 * Sets the user, time type or project of an entry not yet booked, keeps that choice for later
 * retries, and puts a refused entry back in line.
 */
export async function editEntry(deps: AdminDeps, input: EditEntryInput): Promise<EditEntryResult> {
  const fields: EntryOverride = {};
  if (input.email !== undefined) {
    const email = normaliseEmail(input.email);
    if (!email.ok) throw new AdminError("ADM_INVALID", email.reason);
    fields.email = email.email;
  }
  if (input.timeTypeId !== undefined) {
    const timeTypeId = optionalText(input.timeTypeId);
    if (timeTypeId === null) {
      throw new AdminError("ADM_INVALID", "--time-type is empty; give a time type id");
    }
    fields.timeTypeId = timeTypeId;
  }
  if (input.projectId !== undefined) fields.projectId = optionalText(input.projectId ?? undefined);
  if (Object.keys(fields).length === 0) {
    throw new AdminError(
      "ADM_INVALID",
      "nothing to change: give --email, --time-type or --project",
    );
  }
  const outbox = new Outbox(deps.db);
  const now = deps.clock.now();
  const result = writeTransaction(deps.db, () => {
    const entry = entryOrRefuse(outbox, input.id);
    if (!["held", "pending", "refused"].includes(entry.state)) {
      throw new AdminError(
        "ADM_WRONG_STATE",
        `entry ${JSON.stringify(entry.id)} is ${entry.state}; only entries not yet booked (held, pending, refused) can be changed`,
      );
    }
    const override = new EntryOverrides(deps.db).merge(entry.id, fields, now);
    const before = {
      email: entry.email,
      timeTypeId: entry.timeTypeId,
      projectId: entry.projectId,
    };
    const after = {
      email: fields.email ?? entry.email,
      timeTypeId: fields.timeTypeId ?? entry.timeTypeId,
      projectId: "projectId" in fields ? (fields.projectId ?? null) : entry.projectId,
    };
    outbox.reassign(entry.id, after, now);
    new AdminEventLog(deps.db, deps.actor).append(
      "entry.edit",
      entry.id,
      { set: fields, before, after },
      now,
    );
    const state = outbox.get(entry.id)?.state ?? entry.state;
    return { before, after, override, state };
  });
  return { ...result, daemon: await notifyEntries(deps, "edit", [input.id]) };
}

/** Why an entry in this state cannot be discarded, and what to do instead. */
function whyNotDiscardable(entry: OutboxEntry): string {
  switch (entry.state) {
    case "booked":
      return `it is already booked in GoodTime as ${entry.serverId ?? "an unknown id"}; delete it there with timeclock server delete ${entry.serverId ?? "ID"}`;
    case "sending":
      return "a request for it is on its way to GoodTime right now; wait for the answer (timeclock queue) and try again";
    default:
      return "it is already discarded";
  }
}

/** Gives up on booking an entry; it stays in the outbox as discarded, the reason in the record. */
export async function discardEntry(
  deps: AdminDeps,
  input: { id: string; reason: string },
): Promise<{ entry: OutboxEntry; daemon: DaemonNote }> {
  const reason = input.reason.trim();
  if (reason === "") {
    throw new AdminError("ADM_INVALID", "--reason is empty; say why the entry is not to be booked");
  }
  const outbox = new Outbox(deps.db);
  const now = deps.clock.now();
  const entry = writeTransaction(deps.db, () => {
    const found = entryOrRefuse(outbox, input.id);
    if (!outbox.discard(found.id, now)) {
      throw new AdminError(
        "ADM_WRONG_STATE",
        `entry ${JSON.stringify(found.id)} is ${found.state} and cannot be discarded: ${whyNotDiscardable(found)}`,
      );
    }
    new AdminEventLog(deps.db, deps.actor).append(
      "entry.discard",
      found.id,
      { reason, previousState: found.state },
      now,
    );
    return found;
  });
  return { entry, daemon: await notifyEntries(deps, "discard", [entry.id]) };
}
