import {
  type BadgeOwner,
  decideTap,
  type PairingDecision,
  type PairingSettings,
  type TapIntent,
  type TapTime,
  type UserState,
} from "./pairing.js";

/**
 * Merging the taps of a door that was cut off from the site database: pure logic, no I/O.
 *
 * A door that cannot reach the site pairs each tap with what it last knew of the user (its
 * "provisional" decisions) and tells the employee at once. When it is back, all of that user's
 * taps from the first provisional one on, from every door, are paired again in time order. If
 * that gives the same shifts as were recorded (and leaves the same shift open), nothing changes.
 * If not, the shifts concerned go to review with the reason: a shift is concerned when only one
 * of the two pairings has it, or when it shares a tap or overlaps in time with such a shift.
 * Nothing concerned is booked by the merge; entries recorded by the site may already be booked,
 * which the caller tells the admin.
 */

/** A tap of the site, keyed "terminal/number"; all in a merge belong to one user. */
export interface MergeTap {
  key: string;
  /** The door that took it (for reasons). */
  terminal: string;
  time: TapTime;
  owner: BadgeOwner;
  intent?: TapIntent;
  /** The entry id a clock-out by this tap gets: the door chose it when it decided the tap. */
  newEntryId: string;
  /** The user's state after this tap as it was recorded: what the employee was told. */
  stateAfter: UserState<string>;
  /** Decided by a door that could not reach the site (what the merge is for). */
  provisional: boolean;
}

/** A shift one of the two pairings produced: a booked entry, or a review of a shift. */
export interface MergeShift {
  kind: "entry" | "review";
  startTap: string;
  /** The tap that closed it; a review of a shift left open (too long, clock set back) has none. */
  endTap: string | null;
  /** The tap whose decision produced it. */
  byTap: string;
  start: Date;
  end: Date;
  entryId: string | null;
}

export interface MergeInput {
  /** The user's state just before the earliest tap of `taps`. */
  before: UserState<string>;
  /** Every tap of the user from the earliest provisional one on, from all doors, in any order. */
  taps: readonly MergeTap[];
  /** The shifts recorded for these taps: by the site when it decided them, by doors offline. */
  recorded: readonly MergeShift[];
  settings: PairingSettings;
}

export interface MergeConflict {
  /** Recorded shifts the merged order does not give in the same way. */
  recorded: MergeShift[];
  /** Shifts of the merged order that were not recorded. */
  merged: MergeShift[];
  reason: string;
}

export interface MergeResult {
  /** Tap keys in merged time order. */
  order: string[];
  /** Each tap's decision in the merged order. */
  decisions: Map<string, PairingDecision<string>>;
  /** True when the merged order gives exactly the recorded shifts and the same open shift. */
  same: boolean;
  /** Recorded shifts that stand (a door's provisional ones are booked from now on). */
  keep: MergeShift[];
  conflicts: MergeConflict[];
  /**
   * The user's state from now on: the merged one when all agrees, else what the employee was
   * told last (the recorded state after the latest tap), which is what they will act on.
   */
  state: UserState<string>;
}

/** Time order across doors: wall clock, then door and number for taps in the same millisecond. */
export function byTime(a: MergeTap, b: MergeTap): number {
  return (
    a.time.at.getTime() - b.time.at.getTime() ||
    a.terminal.localeCompare(b.terminal) ||
    a.key.localeCompare(b.key, "en", { numeric: true })
  );
}

function signature(shift: MergeShift): string {
  return `${shift.kind}|${shift.startTap}|${shift.endTap ?? ""}`;
}

/** The shift a decision produced, if any. */
export function shiftOf(
  decision: PairingDecision<string>,
  tap: Pick<MergeTap, "key" | "time">,
): MergeShift | null {
  if (decision.kind === "ignored") return null;
  if (decision.kind === "clock-out" && decision.entry) {
    const entry = decision.entry;
    return {
      kind: "entry",
      startTap: entry.startTapId,
      endTap: entry.endTapId,
      byTap: tap.key,
      start: entry.start,
      end: entry.end,
      entryId: entry.id,
    };
  }
  if (!decision.review) return null;
  const { shift } = decision.review;
  const closed = decision.kind === "clock-out";
  return {
    kind: "review",
    startTap: shift.startTapId,
    endTap: closed ? tap.key : null,
    byTap: tap.key,
    start: shift.start.at,
    end: tap.time.at,
    entryId: null,
  };
}

function touches(a: MergeShift, b: MergeShift): boolean {
  const taps = new Set([a.startTap, a.endTap, a.byTap]);
  if (taps.has(b.startTap) || (b.endTap !== null && taps.has(b.endTap)) || taps.has(b.byTap)) {
    return true;
  }
  return a.start < b.end && b.start < a.end;
}

function openStart(state: UserState<string>): string | null {
  return state.openShift?.startTapId ?? null;
}

function describeTap(tap: MergeTap | undefined, key: string): string {
  if (!tap) return `tap ${key}`;
  return `${tap.time.at.toISOString().replace(/\.\d+Z$/, "Z")} at ${tap.terminal} (tap ${key})`;
}

function describeShift(shift: MergeShift, taps: Map<string, MergeTap>): string {
  const start = describeTap(taps.get(shift.startTap), shift.startTap);
  if (shift.endTap === null) return `the shift from ${start} left without a clock-out`;
  return `${start} to ${describeTap(taps.get(shift.endTap), shift.endTap)}`;
}

function conflictReason(
  recorded: readonly MergeShift[],
  merged: readonly MergeShift[],
  taps: Map<string, MergeTap>,
  doors: readonly string[],
): string {
  const parts: string[] = [];
  const list = (shifts: readonly MergeShift[]) =>
    shifts.map((shift) => describeShift(shift, taps)).join("; ");
  if (recorded.length > 0) parts.push(`the doors recorded ${list(recorded)}`);
  if (merged.length > 0) parts.push(`in time order the taps pair as ${list(merged)}`);
  else parts.push("in time order these taps pair differently");
  return `door ${doors.join(", ")} could not reach the site database and paired taps with what it last knew; ${parts.join(", while ")}. Check with the employee, then book it with explicit times or discard it`;
}

/** Pairs `taps` again in time order and compares the result with what was recorded. */
export function mergeTaps(input: MergeInput): MergeResult {
  const taps = [...input.taps].sort(byTime);
  const byKey = new Map(taps.map((tap) => [tap.key, tap]));
  const decisions = new Map<string, PairingDecision<string>>();
  const merged: MergeShift[] = [];
  let state = input.before;
  for (const tap of taps) {
    const decision = decideTap<string>(
      state,
      {
        tapId: tap.key,
        time: tap.time,
        owner: tap.owner,
        newEntryId: tap.newEntryId,
        ...(tap.intent ? { intent: tap.intent } : {}),
      },
      input.settings,
    );
    decisions.set(tap.key, decision);
    const shift = shiftOf(decision, tap);
    if (shift) merged.push(shift);
    state = decision.state;
  }
  const last = taps.at(-1);
  const told = last ? last.stateAfter : input.before;
  const recordedSigs = new Set(input.recorded.map(signature));
  const mergedSigs = new Set(merged.map(signature));
  const diverging = [
    ...input.recorded.filter((shift) => !mergedSigs.has(signature(shift))),
    ...merged.filter((shift) => !recordedSigs.has(signature(shift))),
  ];
  const same = diverging.length === 0 && openStart(told) === openStart(state);
  if (same) {
    return {
      order: taps.map((tap) => tap.key),
      decisions,
      same,
      keep: [...input.recorded],
      conflicts: [],
      state,
    };
  }
  const concerned = closure(diverging, [...input.recorded, ...merged]);
  const keep = input.recorded.filter((shift) => !concerned.has(shift));
  const conflicts = groups([...concerned]).map((group) => {
    const recorded = group.filter((shift) => input.recorded.includes(shift));
    const fromMerge = group.filter(
      (shift) => !input.recorded.includes(shift) && !recordedSigs.has(signature(shift)),
    );
    const doors = isolatedDoors(group, byKey, taps);
    return {
      recorded,
      merged: fromMerge,
      reason: conflictReason(recorded, fromMerge, byKey, doors),
    };
  });
  return {
    order: taps.map((tap) => tap.key),
    decisions,
    same,
    keep,
    conflicts,
    state: disputeOpenShift(told, state, concerned, conflicts, byKey),
  };
}

/**
 * The employee goes on from what they were told last. When that leaves a shift open that the
 * conflict concerns (it starts at a tap of a concerned shift, or only the open shift differs),
 * it is marked disputed, so that its clock-out goes to review instead of being booked.
 */
function disputeOpenShift(
  told: UserState<string>,
  merged: UserState<string>,
  concerned: ReadonlySet<MergeShift>,
  conflicts: MergeConflict[],
  taps: Map<string, MergeTap>,
): UserState<string> {
  const open = told.openShift;
  if (!open) return told;
  const start = open.startTapId;
  const group = conflicts.find((conflict) =>
    [...conflict.recorded, ...conflict.merged].some(
      (shift) => shift.startTap === start || shift.endTap === start || shift.byTap === start,
    ),
  );
  const touched = [...concerned].some(
    (shift) => shift.startTap === start || shift.endTap === start || shift.byTap === start,
  );
  if (!touched && openStart(merged) === start) return told;
  const tap = taps.get(start);
  const doors = isolatedDoors([], taps, [...taps.values()]).join(", ") || tap?.terminal || "?";
  const reason =
    group?.reason ??
    `door ${doors} could not reach the site database and took ${describeTap(tap, start)} as the start of a shift; in time order the taps ${openStart(merged) === null ? "leave no shift open" : `leave the shift from ${describeTap(taps.get(openStart(merged) ?? ""), openStart(merged) ?? "?")} open`}. Check with the employee, then book it with explicit times or discard it`;
  return { ...told, openShift: { ...open, disputed: reason } };
}

/** The doors that decided taps of these shifts offline; failing that, every door that did. */
function isolatedDoors(
  shifts: readonly MergeShift[],
  byKey: Map<string, MergeTap>,
  all: readonly MergeTap[],
): string[] {
  const of = (taps: readonly (MergeTap | undefined)[]) => [
    ...new Set(taps.flatMap((tap) => (tap?.provisional ? [tap.terminal] : []))),
  ];
  const near = of(
    shifts.flatMap((shift) =>
      [shift.startTap, shift.endTap, shift.byTap].map((key) => (key ? byKey.get(key) : undefined)),
    ),
  );
  return (near.length > 0 ? near : of(all)).sort();
}

/** The diverging shifts and every shift that shares a tap or time with one of them. */
function closure(start: readonly MergeShift[], all: readonly MergeShift[]): Set<MergeShift> {
  const concerned = new Set(start);
  let grew = true;
  while (grew) {
    grew = false;
    for (const shift of all) {
      if (concerned.has(shift)) continue;
      if ([...concerned].some((other) => touches(shift, other))) {
        concerned.add(shift);
        grew = true;
      }
    }
  }
  return concerned;
}

/** Splits concerned shifts into groups that touch each other, each with one reason. */
function groups(shifts: readonly MergeShift[]): MergeShift[][] {
  const result: MergeShift[][] = [];
  const left = new Set(shifts);
  for (const first of shifts) {
    if (!left.has(first)) continue;
    left.delete(first);
    const group = [first];
    for (let i = 0; i < group.length; i++) {
      for (const other of [...left]) {
        if (touches(group[i] as MergeShift, other)) {
          left.delete(other);
          group.push(other);
        }
      }
    }
    result.push(group);
  }
  return result;
}
