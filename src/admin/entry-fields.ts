import { formatBadge } from "../badges/badge-id.js";
import type { BadgeLookup } from "../store/badges.js";
import type { EntryOverride } from "../store/entry-overrides.js";
import type { OutboxEntry } from "../store/outbox.js";

export type EntryFields = Pick<OutboxEntry, "email" | "timeTypeId" | "projectId">;

export interface CurrentFieldsInput {
  entry: EntryFields;
  /** What an admin set with `queue edit`, if anything. */
  override: EntryOverride | null;
  /** The badge of the entry's clock-in tap, looked up in today's mapping. */
  badge: { text: string; lookup: BadgeLookup };
  /** entry.timeTypeId and entry.projectId of the config. */
  defaults: { timeTypeId: string; projectId: string | null };
  /** Time types the function keys set (feedback.keys[].timeTypeId). */
  keyTimeTypes: readonly string[];
}

export type CurrentFields =
  | { ok: true; fields: EntryFields }
  | { ok: false; code: "ADM_UNMAPPED" | "ADM_SEVERAL_MATCH"; reason: string };

/**
 * What an entry is booked with when an admin retries it: what is true now. An admin's override
 * wins; else the badge's mapping as it is today, with its own time type and project or the
 * config's. A time type chosen with a function key stays: the key said what the shift was.
 * Pure, so that the rule is tested by table.
 */
export function currentFields(input: CurrentFieldsInput): CurrentFields {
  const { entry, override, badge, defaults } = input;
  const lookup = badge.lookup;
  const mapped = lookup.kind === "found" ? lookup.badge : null;
  if (!mapped && override?.email === undefined) {
    if (lookup.kind === "ambiguous") {
      return {
        ok: false,
        code: "ADM_SEVERAL_MATCH",
        reason: `its badge ${badge.text} now matches several mappings (${lookup.badges.map((b) => `${formatBadge(b)} ${b.email}`).join(", ")}); remove the wrong one, or name the user with timeclock queue edit ID --email`,
      };
    }
    return {
      ok: false,
      code: "ADM_UNMAPPED",
      reason: `its badge ${badge.text} is not mapped any more; map it (timeclock badges add) or name the user with timeclock queue edit ID --email`,
    };
  }
  const keyChose = input.keyTimeTypes.includes(entry.timeTypeId);
  return {
    ok: true,
    fields: {
      email: override?.email ?? mapped?.email ?? entry.email,
      timeTypeId:
        override?.timeTypeId ??
        (keyChose ? entry.timeTypeId : (mapped?.timeTypeId ?? defaults.timeTypeId)),
      projectId:
        override && "projectId" in override
          ? (override.projectId ?? null)
          : (mapped?.projectId ?? defaults.projectId),
    },
  };
}
