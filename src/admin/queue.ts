import { MAX_IDS } from "../control/protocol.js";
import type { EntryOverride } from "../store/entry-overrides.js";
import { ENTRY_STATES, type EntryState } from "../store/outbox.js";
import { normaliseEmail, optionalText } from "./badge-rules.js";
import { type BookedView, bookedView } from "./booked-view.js";
import type { AdminDeps, DaemonNote } from "./deps.js";
import { currentFields, type EntryFields } from "./entry-fields.js";
import type { AdminEntry, LockedEntry } from "./entry-store.js";
import { entriesOf } from "./entry-store-local.js";
import { AdminError } from "./errors.js";

/** States an admin still has to care about; what `queue` lists unless told otherwise. */
export const UNFINISHED: readonly EntryState[] = ["held", "pending", "sending", "refused"];

export const QUEUE_FILTERS = [...ENTRY_STATES, "unfinished", "all"] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** An entry with what an admin set, and the span GoodTime books (whole minutes, rounding). */
export type QueueEntry = AdminEntry & { booked: BookedView };

/** The outbox (the site's in site mode), oldest shift first; the server's reason in full. */
export async function listQueue(
  deps: AdminDeps,
  query: { state: QueueFilter; limit: number },
): Promise<QueueEntry[]> {
  const states =
    query.state === "all" ? "all" : query.state === "unfinished" ? UNFINISHED : [query.state];
  const entries = await entriesOf(deps).list(states, query.limit);
  return entries.map((entry) => ({ ...entry, booked: bookedView(entry) }));
}

function entryOrRefuse(locked: readonly LockedEntry[], id: string): LockedEntry {
  const found = locked[0];
  if (!found) {
    throw new AdminError(
      "ADM_NOT_FOUND",
      `entry ${JSON.stringify(id)} does not exist; list entries with timeclock queue --state all`,
    );
  }
  return found;
}

/**
 * A door's sync holds this entry to book it: changing it now could book the old fields under
 * the new ones' name, so the change waits for the booking or the end of the lease.
 */
function refuseClaimed(entry: AdminEntry): void {
  if (!entry.claim) return;
  throw new AdminError(
    "ADM_WRONG_STATE",
    `entry ${JSON.stringify(entry.id)} is being booked by door ${JSON.stringify(entry.claim.by)} right now (its claim runs until ${entry.claim.until.toISOString()}); wait for the answer (timeclock queue) and try again`,
  );
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
function fieldsNow(deps: AdminDeps, { entry, badge }: LockedEntry) {
  const { config } = deps;
  return currentFields({
    entry,
    override: entry.override,
    badge: badge ?? { text: `of tap ${entry.startTapId}`, lookup: { kind: "unknown" } },
    defaults: { timeTypeId: config.entry.timeTypeId, projectId: config.entry.projectId },
    keyTimeTypes: config.feedback.keys.flatMap((key) => (key.timeTypeId ? [key.timeTypeId] : [])),
  });
}

const fieldsOf = (entry: EntryFields): EntryFields => ({
  email: entry.email,
  timeTypeId: entry.timeTypeId,
  projectId: entry.projectId,
});

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
  const now = deps.clock.now();
  const result = await entriesOf(deps).change(
    "id" in input ? { id: input.id } : { state: "refused" },
    (locked) => {
      const retried: RetriedEntry[] = [];
      const skipped: { id: string; reason: string }[] = [];
      const candidates = "id" in input ? [entryOrRefuse(locked, input.id)] : locked;
      for (const found of candidates) {
        const { entry } = found;
        if (entry.state !== "refused") {
          throw new AdminError(
            "ADM_WRONG_STATE",
            `entry ${JSON.stringify(entry.id)} is ${entry.state}, not refused; only refused entries can be retried`,
          );
        }
        const current = fieldsNow(deps, found);
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
        retried.push({ id: entry.id, before: fieldsOf(entry), after: current.fields });
      }
      return {
        changes: retried.map((entry) => ({
          kind: "reassign" as const,
          id: entry.id,
          fields: entry.after,
        })),
        events: retried.map((entry) => ({
          action: "entry.retry",
          subject: entry.id,
          detail: { before: entry.before, after: entry.after },
        })),
        result: { retried, skipped },
      };
    },
    { actor: deps.actor, now },
  );
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
  const now = deps.clock.now();
  const result = await entriesOf(deps).change(
    { id: input.id },
    (locked) => {
      const { entry } = entryOrRefuse(locked, input.id);
      if (!["held", "pending", "refused"].includes(entry.state)) {
        throw new AdminError(
          "ADM_WRONG_STATE",
          `entry ${JSON.stringify(entry.id)} is ${entry.state}; only entries not yet booked (held, pending, refused) can be changed`,
        );
      }
      refuseClaimed(entry);
      const override = { ...entry.override, ...fields };
      const before = fieldsOf(entry);
      const after = {
        email: fields.email ?? entry.email,
        timeTypeId: fields.timeTypeId ?? entry.timeTypeId,
        projectId: "projectId" in fields ? (fields.projectId ?? null) : entry.projectId,
      };
      const state: EntryState = entry.state === "refused" ? "pending" : entry.state;
      return {
        changes: [{ kind: "reassign", id: entry.id, fields: after, override }],
        events: [
          { action: "entry.edit", subject: entry.id, detail: { set: fields, before, after } },
        ],
        result: { before, after, override, state },
      };
    },
    { actor: deps.actor, now },
  );
  return { ...result, daemon: await notifyEntries(deps, "edit", [input.id]) };
}

/** Why an entry in this state cannot be discarded, and what to do instead. */
function whyNotDiscardable(entry: AdminEntry): string {
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
): Promise<{ entry: AdminEntry; daemon: DaemonNote }> {
  const reason = input.reason.trim();
  if (reason === "") {
    throw new AdminError("ADM_INVALID", "--reason is empty; say why the entry is not to be booked");
  }
  const now = deps.clock.now();
  const entry = await entriesOf(deps).change(
    { id: input.id },
    (locked) => {
      const { entry: found } = entryOrRefuse(locked, input.id);
      if (!["held", "pending", "refused"].includes(found.state)) {
        throw new AdminError(
          "ADM_WRONG_STATE",
          `entry ${JSON.stringify(found.id)} is ${found.state} and cannot be discarded: ${whyNotDiscardable(found)}`,
        );
      }
      refuseClaimed(found);
      return {
        changes: [{ kind: "discard", id: found.id }],
        events: [
          {
            action: "entry.discard",
            subject: found.id,
            detail: { reason, previousState: found.state },
          },
        ],
        result: found,
      };
    },
    { actor: deps.actor, now },
  );
  return { entry, daemon: await notifyEntries(deps, "discard", [entry.id]) };
}
