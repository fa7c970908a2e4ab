import type { EnrolmentView } from "../control/protocol.js";
import type { KeyName } from "../gpio/config-schema.js";
import type { TapOutcome, TapReasonCode } from "../store/journal.js";

/**
 * What the screen at the door says: one model for every display (kiosk page, LCD, OLED), pure
 * and free of I/O. The display process feeds it what the terminal reports after each committed
 * tap, key press and enrolment, and asks it which screen is due at a moment; the displays only
 * lay the screen out for their size.
 */

/** How booking stands, for the idle screen. */
export type Booking =
  | { state: "booked" }
  | { state: "waiting"; count: number }
  | { state: "offline"; count: number }
  | { state: "not-booking" };

/** Faults an employee should tell the office about, in the order they are shown. */
export type DoorFault = "reader" | "clock";

export interface IdleFacts {
  booking: Booking;
  faults: DoorFault[];
}

export type TapScreen =
  | {
      kind: "clock-in";
      name: string;
      /** The tap's instant, ISO 8601 UTC; shown in terminal.timeZone. */
      at: string;
      todayMinutes: number;
      weekMinutes: number;
      /** This tap also sent a shift left open (or broken) to the office's review list. */
      toReview: boolean;
    }
  | {
      kind: "clock-out";
      name: string;
      at: string;
      /** The shift as it will be booked; null when it went to review instead. */
      shiftMinutes: number | null;
      todayMinutes: number;
      weekMinutes: number;
      /** Why the shift is stored rather than booked now, if it is. */
      stored: "network" | "clock" | null;
      /** A break key closed the shift and opened the break. */
      breakStarted: boolean;
      toReview: boolean;
    }
  | { kind: "too-soon"; name: string; at: string; minGapSeconds: number }
  | { kind: "no-open-shift"; name: string; at: string }
  | { kind: "unknown-badge"; badge: string; ambiguous: boolean; at: string };

export type Screen =
  | { kind: "idle"; idle: IdleFacts }
  | TapScreen
  /** A function key or a touch button chose the next tap's meaning, until `until` (ISO UTC). */
  | { kind: "key"; key: KeyName; until: string }
  | { kind: "enrol-armed"; until: string }
  | { kind: "enrol-captured"; badge: string };

export type ScreenKind = Screen["kind"];

/** What the display process knows of a tap besides the terminal's event, read after its commit. */
export interface TapFacts {
  /** The badge's name, else the person's email; null for a badge nobody has. */
  name: string | null;
  /** The badge as the office would type it. */
  badge: string;
  shiftMinutes: number | null;
  todayMinutes: number;
  weekMinutes: number;
  /** The person has a shift open after this tap (a break key opens the break at once). */
  openAfter: boolean;
  /** The entry this tap queued waits for the clock to be set. */
  entryHeld: boolean;
  /** Booking does not work right now (see `bookingOf`). */
  offline: boolean;
}

export interface TapSummary {
  at: string;
  outcome: TapOutcome;
  reasonCode: TapReasonCode | null;
  entryId: string | null;
}

/** The screen a journalled tap earns. */
export function tapScreen(tap: TapSummary, facts: TapFacts, minGapSeconds: number): TapScreen {
  const name = facts.name ?? facts.badge;
  const toReview = tap.reasonCode === "to-review";
  switch (tap.outcome) {
    case "refused":
      return {
        kind: "unknown-badge",
        badge: facts.badge,
        ambiguous: tap.reasonCode === "ambiguous-badge",
        at: tap.at,
      };
    case "ignored":
      return tap.reasonCode === "no-open-shift"
        ? { kind: "no-open-shift", name, at: tap.at }
        : { kind: "too-soon", name, at: tap.at, minGapSeconds };
    case "clock-in":
      return {
        kind: "clock-in",
        name,
        at: tap.at,
        todayMinutes: facts.todayMinutes,
        weekMinutes: facts.weekMinutes,
        toReview,
      };
    case "clock-out":
      return {
        kind: "clock-out",
        name,
        at: tap.at,
        shiftMinutes: tap.entryId === null ? null : facts.shiftMinutes,
        todayMinutes: facts.todayMinutes,
        weekMinutes: facts.weekMinutes,
        stored:
          tap.entryId === null
            ? null
            : facts.entryHeld
              ? "clock"
              : facts.offline
                ? "network"
                : null,
        breakStarted: facts.openAfter,
        toReview,
      };
  }
}

/** What the door shows and until when; deadlines on the monotonic clock. */
export interface DoorState {
  idle: IdleFacts;
  /** The latest tap or key, shown until its deadline. */
  shown: { screen: Screen; untilMono: number } | null;
  /** An admin armed enrolment: the reader captures the next badge instead of journalling it. */
  enrolment: { armId: string; screen: Screen; untilMono: number } | null;
}

export type DoorInput =
  | { type: "idle"; idle: IdleFacts }
  | { type: "tap"; screen: TapScreen; nowMono: number; holdMs: number }
  | { type: "key"; key: KeyName; nowMono: number; nowMs: number; windowMs: number }
  | { type: "enrolment"; view: EnrolmentView; nowMono: number; nowMs: number; holdMs: number };

export const INITIAL_IDLE: IdleFacts = { booking: { state: "booked" }, faults: [] };

export function initialDoor(idle: IdleFacts = INITIAL_IDLE): DoorState {
  return { idle, shown: null, enrolment: null };
}

export function reduceDoor(state: DoorState, input: DoorInput): DoorState {
  switch (input.type) {
    case "idle":
      return { ...state, idle: input.idle };
    case "tap":
      return { ...state, shown: { screen: input.screen, untilMono: input.nowMono + input.holdMs } };
    case "key":
      return {
        ...state,
        shown: {
          screen: {
            kind: "key",
            key: input.key,
            until: new Date(input.nowMs + input.windowMs).toISOString(),
          },
          untilMono: input.nowMono + input.windowMs,
        },
      };
    case "enrolment": {
      const { view } = input;
      if (view.state === "armed") {
        const leftMs = Math.max(0, Date.parse(view.expiresAt) - input.nowMs);
        return {
          ...state,
          enrolment: {
            armId: view.armId,
            screen: { kind: "enrol-armed", until: view.expiresAt },
            untilMono: input.nowMono + leftMs,
          },
        };
      }
      const ours = state.enrolment?.armId === view.armId ? null : state.enrolment;
      if (view.state === "captured" && view.badge) {
        return {
          ...state,
          enrolment: ours,
          shown: {
            screen: { kind: "enrol-captured", badge: view.badge.badgeId },
            untilMono: input.nowMono + input.holdMs,
          },
        };
      }
      return { ...state, enrolment: ours };
    }
  }
}

/** The screen due at `nowMono`: an armed enrolment, else the latest tap or key, else idle. */
export function screenAt(state: DoorState, nowMono: number): Screen {
  if (state.enrolment && nowMono < state.enrolment.untilMono) return state.enrolment.screen;
  if (state.shown && nowMono < state.shown.untilMono) return state.shown.screen;
  return { kind: "idle", idle: state.idle };
}

/** When the due screen changes by itself (a deadline passes), or null when nothing is pending. */
export function nextDeadline(state: DoorState, nowMono: number): number | null {
  const pending = [state.enrolment?.untilMono, state.shown?.untilMono].filter(
    (deadline): deadline is number => deadline !== undefined && deadline > nowMono,
  );
  return pending.length > 0 ? Math.min(...pending) : null;
}
