import { type BadgeIdentity, formatBadge } from "../badges/badge-id.js";
import { BadgeIndex } from "../badges/badge-index.js";
import { MAX_IDS } from "../control/protocol.js";
import { AdminEventLog } from "../store/admin-events.js";
import { AdminMarks } from "../store/admin-marks.js";
import { BadgePinStore } from "../store/badge-pins.js";
import { type Badge, BadgeRepository, type NewBadge, type UnknownBadge } from "../store/badges.js";
import { writeTransaction } from "../store/database.js";
import { type DigitForm, readTypedBadge, resolvePartial } from "./badge-input.js";
import {
  badgeText,
  type CatalogSource,
  checkAgainstServer,
  type MappingFields,
  normaliseEmail,
  normaliseName,
  optionalText,
} from "./badge-rules.js";
import type { AdminDeps, DaemonNote, StoredMapping } from "./deps.js";
import { AdminError } from "./errors.js";

/**
 * A mapping as front ends show it: with the form an admin would type, and its forgotten-badge
 * PIN: null when none is set, else when wrong PINs keep it locked (null when they do not).
 */
export type BadgeView = Badge & { text: string; pin: { lockedUntil: string | null } | null };
export type UnknownBadgeView = UnknownBadge & { text: string };

/** Every badge the terminal knows: mapped, or tapped at the reader without a mapping. */
export function seenBadges(repository: BadgeRepository): BadgeIndex<BadgeIdentity> {
  return new BadgeIndex<BadgeIdentity>([...repository.list(), ...repository.tappedUnknown()]);
}

export function listBadges(deps: AdminDeps): BadgeView[] {
  const now = deps.clock.now();
  const pins = new Map(
    new BadgePinStore(deps.db).holders().map((holder) => [holder.badgeId, holder]),
  );
  return new BadgeRepository(deps.db, deps.clock).list().map((badge) => {
    const pin = pins.get(badge.badgeId);
    const locked = pin?.lockedUntil && pin.lockedUntil > now ? pin.lockedUntil.toISOString() : null;
    return { ...badge, text: badgeText(badge), pin: pin ? { lockedUntil: locked } : null };
  });
}

/**
 * Badges tapped but not mapped. Looking at them is remembered (`markSeen`), so that `status` names
 * only the unknown badges tapped since.
 */
export function unknownBadges(deps: AdminDeps, options: { markSeen: boolean }): UnknownBadgeView[] {
  const unknown = new BadgeRepository(deps.db, deps.clock).unknown();
  if (options.markSeen) new AdminMarks(deps.db).set("unknown-badges-seen", deps.clock.now());
  return unknown.map((badge) => ({ ...badge, text: badgeText(badge) }));
}

/** Other mappings that a tap could also match, which makes such taps ambiguous. */
export function overlapWarnings(mapped: BadgeIndex<Badge>, stored: BadgeIdentity): string[] {
  return mapped
    .matching(stored)
    .filter((other) => other.badgeId !== stored.badgeId)
    .map(
      (other) =>
        `badge ${formatBadge(stored)} shares its known bits with the mapping ${formatBadge(other)} (${other.email}); a tap that carries only the bits both know is refused as ambiguous. Remove the wrong one with timeclock badges remove`,
    );
}

/**
 * Writes mappings and their admin events in one transaction; says which were new. In site mode
 * they go to the site database, and this door's copy follows.
 */
export async function storeBadges(
  deps: AdminDeps,
  badges: readonly NewBadge[],
  via: string,
): Promise<StoredMapping[]> {
  if (deps.siteBadges) return deps.siteBadges.store(badges, via);
  const repository = new BadgeRepository(deps.db, deps.clock);
  const events = new AdminEventLog(deps.db, deps.actor);
  const now = deps.clock.now();
  return writeTransaction(deps.db, () => {
    const before = new Map(repository.list().map((known) => [known.badgeId, known]));
    return badges.map((badge): StoredMapping => {
      const previous = before.get(badge.badgeId) ?? null;
      const outcome = repository.put(badge);
      events.append(
        outcome === "added" ? "badge.add" : "badge.update",
        badge.badgeId,
        { via, knownBits: badge.knownBits, email: badge.email, previousEmail: previous?.email },
        now,
      );
      return { badge, outcome, previous };
    });
  });
}

export function notifyBadges(
  deps: AdminDeps,
  action: "add" | "update" | "remove" | "import",
  badgeIds: readonly string[],
): Promise<DaemonNote> {
  return deps.daemon.notify({
    type: "badges-changed",
    action,
    count: badgeIds.length,
    badgeIds: badgeIds.slice(0, MAX_IDS),
  });
}

/** Asks the server about a mapping; problems refuse it, an unreachable server only warns. */
export async function checkWithServer(
  check: CatalogSource | undefined,
  fields: readonly (MappingFields & { label: string })[],
  warnings: string[],
): Promise<string[]> {
  if (!check) return [];
  const checked = await check();
  if (!checked.ok) {
    warnings.push(checked.warning);
    return [];
  }
  return fields.flatMap((mapping) => {
    const found = checkAgainstServer(mapping, checked.catalog);
    return found.length > 0 ? [`${mapping.label}${found.join("; ")}`] : [];
  });
}

export interface AddBadgeInput {
  /** As typed: 0F00A1B2C3, 0x0010597059, 0010597059 (see `digits`), 161,45763. */
  badge: string;
  digits?: DigitForm;
  email: string;
  name?: string;
  timeTypeId?: string;
  projectId?: string;
  /** Check the email, time type and project against GoodTime first. */
  check?: CatalogSource;
  /** How the admin gave the badge, for the admin record: "add" (typed) unless told. */
  via?: "add" | "enrol";
}

export interface AddBadgeResult {
  badge: BadgeIdentity;
  /** The login email as stored (lower-cased). */
  email: string;
  outcome: "added" | "updated";
  previous: Badge | null;
  /** How the typed badge was read, for the admin to see. */
  notes: string[];
  warnings: string[];
  daemon: DaemonNote;
}

/** A badge's name, blank for none; control characters are refused, naming where they are. */
function validName(input: string | undefined): string | null {
  const name = normaliseName(input);
  if (!name.ok) throw new AdminError("ADM_INVALID", name.reason);
  return name.name;
}

/** Maps a badge to a user's login email, or changes its mapping. */
export async function addBadge(deps: AdminDeps, input: AddBadgeInput): Promise<AddBadgeResult> {
  await deps.siteBadges?.refresh();
  const repository = new BadgeRepository(deps.db, deps.clock);
  const seen = seenBadges(repository);
  const typed = readTypedBadge(input.badge, input.digits, seen);
  const email = normaliseEmail(input.email);
  if (!email.ok) throw new AdminError("ADM_INVALID", email.reason);
  const name = validName(input.name);
  const fields = {
    email: email.email,
    name,
    timeTypeId: optionalText(input.timeTypeId),
    projectId: optionalText(input.projectId),
  };
  const warnings: string[] = [];
  const problems = await checkWithServer(input.check, [{ ...fields, label: "" }], warnings);
  if (problems.length > 0) {
    throw new AdminError(
      "ADM_SERVER_CHECK",
      `badge ${JSON.stringify(input.badge)} not saved: ${problems.join("; ")}`,
      problems,
    );
  }
  const badge = resolvePartial(typed.identity, seen);
  const notes = typed.note ? [typed.note] : [];
  if (badge.knownBits !== typed.identity.knownBits) {
    notes.push(`${JSON.stringify(input.badge)} matched the known full ID ${badge.badgeId}`);
  } else if (badge.knownBits !== 40) {
    notes.push(
      `stored as a partial ID: no single known full ID matches ${JSON.stringify(input.badge)}; taps of any badge with these low ${badge.knownBits} bits will match it`,
    );
  }
  const [stored] = await storeBadges(deps, [{ ...badge, ...fields }], input.via ?? "add");
  warnings.push(...overlapWarnings(new BadgeIndex(repository.list()), badge));
  const outcome = stored?.outcome ?? "added";
  return {
    badge,
    email: fields.email,
    outcome,
    previous: stored?.previous ?? null,
    notes,
    warnings,
    daemon: await notifyBadges(deps, outcome === "added" ? "add" : "update", [badge.badgeId]),
  };
}

/** The one mapping a typed badge names: exact, or the only one its known bits match. */
export function mappingOf(deps: AdminDeps, text: string, digits: DigitForm | undefined): Badge {
  const repository = new BadgeRepository(deps.db, deps.clock);
  const typed = readTypedBadge(text, digits, seenBadges(repository)).identity;
  const matches = repository.matching(typed.badgeId, typed.knownBits);
  const exact = matches.find((badge) => badge.badgeId === typed.badgeId);
  const target = exact ?? (matches.length === 1 ? matches[0] : undefined);
  if (target) return target;
  if (matches.length === 0) {
    throw new AdminError(
      "ADM_NOT_FOUND",
      `badge ${JSON.stringify(text)} is not mapped; see timeclock badges list`,
    );
  }
  throw new AdminError(
    "ADM_SEVERAL_MATCH",
    `badge ${JSON.stringify(text)} matches several mappings (${matches.map((badge) => `${formatBadge(badge)} ${badge.email}`).join(", ")}); name the one you mean by its full 10-hex ID`,
  );
}

export interface EditBadgeInput {
  badge: string;
  digits?: DigitForm;
  /** Absent: unchanged. For name, time type and project, null clears it. */
  email?: string;
  name?: string | null;
  timeTypeId?: string | null;
  projectId?: string | null;
  check?: CatalogSource;
}

export interface EditBadgeResult {
  before: Badge;
  after: Badge;
  warnings: string[];
  daemon: DaemonNote;
}

/** Changes some fields of an existing mapping and keeps the others. */
export async function editBadge(deps: AdminDeps, input: EditBadgeInput): Promise<EditBadgeResult> {
  await deps.siteBadges?.refresh();
  const before = mappingOf(deps, input.badge, input.digits);
  let email = before.email;
  if (input.email !== undefined) {
    const parsed = normaliseEmail(input.email);
    if (!parsed.ok) throw new AdminError("ADM_INVALID", parsed.reason);
    email = parsed.email;
  }
  const pick = (given: string | null | undefined, kept: string | null) =>
    given === undefined ? kept : optionalText(given ?? undefined);
  const changed: NewBadge = {
    badgeId: before.badgeId,
    knownBits: before.knownBits,
    email,
    name: input.name === undefined ? before.name : validName(input.name ?? undefined),
    timeTypeId: pick(input.timeTypeId, before.timeTypeId),
    projectId: pick(input.projectId, before.projectId),
  };
  const warnings: string[] = [];
  const problems = await checkWithServer(
    input.check,
    [
      {
        email,
        timeTypeId: changed.timeTypeId ?? null,
        projectId: changed.projectId ?? null,
        label: "",
      },
    ],
    warnings,
  );
  if (problems.length > 0) {
    throw new AdminError(
      "ADM_SERVER_CHECK",
      `badge ${formatBadge(before)} not changed: ${problems.join("; ")}`,
      problems,
    );
  }
  await storeBadges(deps, [changed], "edit");
  const after = new BadgeRepository(deps.db, deps.clock)
    .list()
    .find((badge) => badge.badgeId === before.badgeId);
  if (!after) {
    throw new AdminError("ADM_CHANGED", `badge ${formatBadge(before)} was removed meanwhile`);
  }
  return { before, after, warnings, daemon: await notifyBadges(deps, "update", [after.badgeId]) };
}

export interface RemoveBadgeResult {
  removed: Badge;
  daemon: DaemonNote;
}

/** Removes the mapping of a badge; its taps stay in the journal. */
export async function removeBadge(
  deps: AdminDeps,
  input: { badge: string; digits?: DigitForm },
): Promise<RemoveBadgeResult> {
  await deps.siteBadges?.refresh();
  const target = mappingOf(deps, input.badge, input.digits);
  if (deps.siteBadges) {
    if (!(await deps.siteBadges.remove(target))) {
      throw new AdminError("ADM_CHANGED", `badge ${formatBadge(target)} was removed meanwhile`);
    }
    return { removed: target, daemon: await notifyBadges(deps, "remove", [target.badgeId]) };
  }
  const repository = new BadgeRepository(deps.db, deps.clock);
  const events = new AdminEventLog(deps.db, deps.actor);
  writeTransaction(deps.db, () => {
    repository.remove(target.badgeId);
    // A badge mapped again later must not bring back a PIN that was set for this mapping.
    new BadgePinStore(deps.db).remove(target.badgeId);
    events.append(
      "badge.remove",
      target.badgeId,
      { knownBits: target.knownBits, email: target.email },
      deps.clock.now(),
    );
  });
  return { removed: target, daemon: await notifyBadges(deps, "remove", [target.badgeId]) };
}
