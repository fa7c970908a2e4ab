import type { RoundingPolicy } from "./booked-span.js";

/**
 * Pairing of taps into shifts, per user: pure logic, no I/O. The caller loads the user's state,
 * asks for a decision and stores what the decision says in one transaction.
 */

/** When and under which clock a tap happened. */
export interface TapTime {
  /** Wall-clock instant as read at the tap (may be wrong before NTP synchronised). */
  at: Date;
  /** CLOCK_MONOTONIC in ms; comparable only within one boot. */
  monoMs: number;
  bootId: string;
  /** Whether the system clock was synchronised when the tap happened. */
  synced: boolean;
}

/**
 * A tap's id: the journal's number on a lone terminal; in a site, "terminal/number" (site keys),
 * so that a shift opened at one door can be closed at another.
 */
export type TapRef = number | string;

export interface OpenShift<Id extends TapRef = number> {
  badgeId: string;
  badgeName: string | null;
  startTapId: Id;
  start: TapTime;
  timeTypeId: string;
  projectId: string | null;
  /**
   * Set when merging a door's offline taps left it unclear whether this shift is right: its
   * clock-out goes to review with this reason instead of being booked.
   */
  disputed?: string;
}

export interface UserState<Id extends TapRef = number> {
  openShift: OpenShift<Id> | null;
  lastAccepted: TapTime | null;
}

/** The badge's owner with per-badge overrides already applied over the config defaults. */
export interface BadgeOwner {
  email: string;
  badgeId: string;
  badgeName: string | null;
  timeTypeId: string;
  projectId: string | null;
}

export interface PairingSettings {
  minGapSeconds: number;
  maxShiftHours: number;
  /** A shift shorter than this goes to review instead of being booked; 0 books every shift. */
  minShiftSeconds: number;
  terminalName: string;
  commentTemplate: string;
  /** `entry.rounding` for entries closed now; kept with each entry, so its booked span never changes. */
  rounding: RoundingPolicy | null;
}

/**
 * What a function key pressed just before the tap says the tap means: "in" only opens a shift,
 * "out" only closes one, "switch" closes the open shift (if any) and opens the next one. A time
 * type given with "in" or "switch" is booked for the shift it opens.
 */
export interface TapIntent {
  kind: "in" | "out" | "switch";
  timeTypeId?: string;
}

export interface TapInput<Id extends TapRef = number> {
  tapId: Id;
  time: TapTime;
  owner: BadgeOwner;
  /** Local id the entry gets if this tap closes a shift; stable from this moment on. */
  newEntryId: string;
  intent?: TapIntent;
}

export interface EntryDraft<Id extends TapRef = number> {
  id: string;
  email: string;
  start: Date;
  end: Date;
  timeTypeId: string;
  projectId: string | null;
  comment: string;
  startTapId: Id;
  endTapId: Id;
  /** True while an instant rests on an unsynchronised clock: store it, do not book it yet. */
  held: boolean;
  rounding: RoundingPolicy | null;
}

export interface ReviewDraft<Id extends TapRef = number> {
  shift: OpenShift<Id>;
  email: string;
  reason: string;
}

/** Why a tap was ignored, as a stable code beside the reason in words. */
export type IgnoreCode = "too-soon" | "no-open-shift";

export type PairingDecision<Id extends TapRef = number> =
  | { kind: "ignored"; code: IgnoreCode; reason: string; state: UserState<Id> }
  | { kind: "clock-in"; state: UserState<Id>; review: ReviewDraft<Id> | null }
  | {
      kind: "clock-out";
      state: UserState<Id>;
      /** Exactly one of the two: the entry to book, or the review of a too-short shift. */
      entry: EntryDraft<Id> | null;
      review: ReviewDraft<Id> | null;
      next: OpenShift<Id> | null;
    };

/** Milliseconds from a to b: monotonic within one boot (immune to clock steps), wall time across boots. */
export function elapsedMs(a: TapTime, b: TapTime): number {
  return a.bootId === b.bootId ? b.monoMs - a.monoMs : b.at.getTime() - a.at.getTime();
}

export function renderComment(
  template: string,
  terminalName: string,
  badgeName: string | null,
): string {
  return template.replaceAll("{terminal}", terminalName).replaceAll("{badgeName}", badgeName ?? "");
}

/**
 * The instants of a shift. Within one boot the duration comes from the monotonic clock, anchored
 * on whichever end was read from a synchronised clock, so an NTP step during the shift changes
 * neither its length nor its sign.
 */
export function shiftInstants(
  start: TapTime,
  end: TapTime,
): { start: Date; end: Date; held: boolean } {
  if (start.bootId !== end.bootId) {
    return { start: start.at, end: end.at, held: !(start.synced && end.synced) };
  }
  const duration = end.monoMs - start.monoMs;
  if (!start.synced && end.synced) {
    return { start: new Date(end.at.getTime() - duration), end: end.at, held: false };
  }
  return {
    start: start.at,
    end: new Date(start.at.getTime() + duration),
    held: !start.synced,
  };
}

function openShiftFor<Id extends TapRef>(
  input: TapInput<Id>,
  timeTypeId = input.owner.timeTypeId,
): OpenShift<Id> {
  return {
    badgeId: input.owner.badgeId,
    badgeName: input.owner.badgeName,
    startTapId: input.tapId,
    start: input.time,
    timeTypeId,
    projectId: input.owner.projectId,
  };
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function clockIn<Id extends TapRef>(
  input: TapInput<Id>,
  review: ReviewDraft<Id> | null,
  timeTypeId?: string,
): PairingDecision<Id> {
  return {
    kind: "clock-in",
    state: { openShift: openShiftFor(input, timeTypeId), lastAccepted: input.time },
    review,
  };
}

export function decideTap<Id extends TapRef = number>(
  state: UserState<Id>,
  input: TapInput<Id>,
  settings: PairingSettings,
): PairingDecision<Id> {
  const { time, intent } = input;
  if (state.lastAccepted) {
    const sinceLast = elapsedMs(state.lastAccepted, time);
    if (sinceLast >= 0 && sinceLast < settings.minGapSeconds * 1000) {
      return {
        kind: "ignored",
        code: "too-soon",
        reason: `too soon: ${formatSeconds(sinceLast)} after this user's last accepted tap (pairing.minGapSeconds is ${settings.minGapSeconds})`,
        state,
      };
    }
  }

  const shift = state.openShift;
  if (!shift) {
    if (intent?.kind === "out") {
      return {
        kind: "ignored",
        code: "no-open-shift",
        reason: "the out key was pressed but no shift is open",
        state,
      };
    }
    return clockIn(input, null, intent?.timeTypeId);
  }

  const age = elapsedMs(shift.start, time);
  const email = input.owner.email;
  if (age > settings.maxShiftHours * 3_600_000) {
    const reason = `shift open for more than ${settings.maxShiftHours} h (pairing.maxShiftHours) without a clock-out; book it with an explicit end or discard it`;
    return clockIn(input, { shift, email, reason });
  }
  if (age < 0) {
    const reason =
      "the clock-out tap reads earlier than the clock-in (the clock was set back); book it with an explicit end or discard it";
    return clockIn(input, { shift, email, reason });
  }
  if (intent?.kind === "in") {
    const reason =
      "the in key was pressed while a shift was open, so that shift has no clock-out; book it with an explicit end or discard it";
    return clockIn(input, { shift, email, reason });
  }

  const next = intent?.kind === "switch" ? openShiftFor(input, intent.timeTypeId) : null;
  const after: UserState<Id> = { openShift: next, lastAccepted: time };
  if (age < settings.minShiftSeconds * 1000) {
    const reason = `clocked out ${formatSeconds(age)} after clocking in (tap ${input.tapId} at ${time.at.toISOString().replace(/\.\d+Z$/, "Z")}), less than pairing.minShiftSeconds (${settings.minShiftSeconds} s); book it with that end or discard it`;
    return { kind: "clock-out", state: after, entry: null, review: { shift, email, reason }, next };
  }
  if (shift.disputed) {
    const reason = `${shift.disputed} (closed by tap ${input.tapId} at ${time.at.toISOString().replace(/\.\d+Z$/, "Z")})`;
    return { kind: "clock-out", state: after, entry: null, review: { shift, email, reason }, next };
  }
  const instants = shiftInstants(shift.start, time);
  const entry: EntryDraft<Id> = {
    id: input.newEntryId,
    email,
    start: instants.start,
    end: instants.end,
    timeTypeId: shift.timeTypeId,
    projectId: shift.projectId,
    comment: renderComment(settings.commentTemplate, settings.terminalName, shift.badgeName),
    startTapId: shift.startTapId,
    endTapId: input.tapId,
    held: instants.held,
    rounding: settings.rounding,
  };
  return { kind: "clock-out", state: after, entry, review: null, next };
}
