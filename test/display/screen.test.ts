import { describe, expect, it } from "vitest";
import type { EnrolmentView } from "../../src/control/protocol.js";
import { bookingOf, faultsOf, type PublishedState } from "../../src/display/idle.js";
import {
  type DoorState,
  INITIAL_IDLE,
  initialDoor,
  nextDeadline,
  reduceDoor,
  screenAt,
  type TapFacts,
  type TapSummary,
  tapScreen,
} from "../../src/display/screen.js";

const AT = "2026-03-02T07:02:00.000Z";
const facts: TapFacts = {
  name: "Anna Schmidt",
  badge: "0A00000001",
  shiftMinutes: 508,
  todayMinutes: 508,
  weekMinutes: 2443,
  openAfter: false,
  entryHeld: false,
  offline: false,
};
const tap = (over: Partial<TapSummary>): TapSummary => ({
  at: AT,
  outcome: "clock-in",
  reasonCode: null,
  entryId: null,
  ...over,
});

describe("the screen a tap earns", () => {
  it.each([
    [
      "clock-in",
      tap({}),
      facts,
      {
        kind: "clock-in",
        name: "Anna Schmidt",
        todayMinutes: 508,
        weekMinutes: 2443,
        toReview: false,
      },
    ],
    [
      "clock-in that sent a forgotten shift to review",
      tap({ reasonCode: "to-review" }),
      facts,
      { kind: "clock-in", toReview: true },
    ],
    [
      "clock-out with its shift",
      tap({ outcome: "clock-out", entryId: "e1" }),
      facts,
      { kind: "clock-out", shiftMinutes: 508, stored: null, breakStarted: false, toReview: false },
    ],
    [
      "clock-out while GoodTime is unreachable",
      tap({ outcome: "clock-out", entryId: "e1" }),
      { ...facts, offline: true },
      { kind: "clock-out", stored: "network" },
    ],
    [
      "clock-out held for the clock",
      tap({ outcome: "clock-out", entryId: "e1" }),
      { ...facts, entryHeld: true, offline: true },
      { kind: "clock-out", stored: "clock" },
    ],
    [
      "clock-out by the break key",
      tap({ outcome: "clock-out", entryId: "e1" }),
      { ...facts, openAfter: true },
      { kind: "clock-out", breakStarted: true },
    ],
    [
      "clock-out too short, sent to review",
      tap({ outcome: "clock-out", entryId: null, reasonCode: "to-review" }),
      { ...facts, shiftMinutes: null, offline: true },
      { kind: "clock-out", shiftMinutes: null, stored: null, toReview: true },
    ],
    [
      "too soon",
      tap({ outcome: "ignored", reasonCode: "too-soon" }),
      facts,
      { kind: "too-soon", name: "Anna Schmidt", minGapSeconds: 60 },
    ],
    [
      "out key without an open shift",
      tap({ outcome: "ignored", reasonCode: "no-open-shift" }),
      facts,
      { kind: "no-open-shift", name: "Anna Schmidt" },
    ],
    [
      "unknown badge",
      tap({ outcome: "refused", reasonCode: "unknown-badge" }),
      { ...facts, name: null },
      { kind: "unknown-badge", badge: "0A00000001", ambiguous: false },
    ],
    [
      "ambiguous badge",
      tap({ outcome: "refused", reasonCode: "ambiguous-badge" }),
      { ...facts, name: null },
      { kind: "unknown-badge", ambiguous: true },
    ],
    [
      "a badge without a name shows the badge",
      tap({ outcome: "ignored", reasonCode: "too-soon" }),
      { ...facts, name: null },
      { kind: "too-soon", name: "0A00000001" },
    ],
  ] as const)("%s", (_what, summary, tapFacts, expected) => {
    expect(tapScreen(summary, tapFacts, 60)).toMatchObject(expected);
  });
});

const enrolment = (state: EnrolmentView["state"], extra: Partial<EnrolmentView> = {}) => ({
  type: "enrolment" as const,
  view: {
    armId: "arm-1",
    by: "cli:root",
    state,
    armedAt: AT,
    expiresAt: "2026-03-02T07:03:00.000Z",
    ...extra,
  },
  nowMono: 1_000,
  nowMs: Date.parse(AT),
  holdMs: 6_000,
});

describe("which screen the door shows when", () => {
  const clockIn = tapScreen(tap({}), facts, 60);
  const cases: [string, DoorState, number, string][] = [
    ["idle at first", initialDoor(), 0, "idle"],
    [
      "a tap until its hold ends",
      reduceDoor(initialDoor(), { type: "tap", screen: clockIn, nowMono: 1_000, holdMs: 6_000 }),
      6_999,
      "clock-in",
    ],
    [
      "idle once the hold ended",
      reduceDoor(initialDoor(), { type: "tap", screen: clockIn, nowMono: 1_000, holdMs: 6_000 }),
      7_000,
      "idle",
    ],
    [
      "a key replaces the tap before",
      reduceDoor(
        reduceDoor(initialDoor(), { type: "tap", screen: clockIn, nowMono: 1_000, holdMs: 6_000 }),
        { type: "key", key: "out", nowMono: 2_000, nowMs: 0, windowMs: 5_000 },
      ),
      3_000,
      "key",
    ],
    [
      "an armed enrolment over everything",
      reduceDoor(reduceDoor(initialDoor(), enrolment("armed")), {
        type: "tap",
        screen: clockIn,
        nowMono: 2_000,
        holdMs: 6_000,
      }),
      3_000,
      "enrol-armed",
    ],
    [
      "the tap below it once the enrolment ran out",
      reduceDoor(reduceDoor(initialDoor(), enrolment("armed")), {
        type: "tap",
        screen: clockIn,
        nowMono: 60_000,
        holdMs: 6_000,
      }),
      61_001,
      "clock-in",
    ],
    [
      "the captured badge after arming",
      reduceDoor(reduceDoor(initialDoor(), enrolment("armed")), {
        ...enrolment("captured", { badge: { badgeId: "0C0000C0DE", knownBits: 40 } }),
        nowMono: 5_000,
      }),
      5_001,
      "enrol-captured",
    ],
    [
      "idle after a cancelled arming",
      reduceDoor(reduceDoor(initialDoor(), enrolment("armed")), enrolment("cancelled")),
      2_000,
      "idle",
    ],
  ];
  it.each(cases)("%s", (_what, state, nowMono, kind) => {
    expect(screenAt(state, nowMono).kind).toBe(kind);
  });

  it("knows when the screen changes by itself", () => {
    const state = reduceDoor(initialDoor(), {
      type: "tap",
      screen: clockIn,
      nowMono: 1_000,
      holdMs: 6_000,
    });
    expect(nextDeadline(state, 1_500)).toBe(7_000);
    expect(nextDeadline(state, 7_000)).toBeNull();
    expect(nextDeadline(initialDoor(), 0)).toBeNull();
  });

  it("puts the key's end on the wall clock for the page's countdown", () => {
    const state = reduceDoor(initialDoor(), {
      type: "key",
      key: "break",
      nowMono: 10,
      nowMs: Date.parse(AT),
      windowMs: 5_000,
    });
    expect(screenAt(state, 11)).toEqual({
      kind: "key",
      key: "break",
      until: "2026-03-02T07:02:05.000Z",
    });
  });

  it("keeps the idle facts it was given", () => {
    const idle = { booking: { state: "waiting" as const, count: 3 }, faults: ["reader" as const] };
    expect(screenAt(reduceDoor(initialDoor(), { type: "idle", idle }), 0)).toEqual({
      kind: "idle",
      idle,
    });
    expect(screenAt(initialDoor(), 0)).toEqual({ kind: "idle", idle: INITIAL_IDLE });
  });
});

const sync = (over: Record<string, unknown>) =>
  ({
    phase: "idle",
    lastBookedAt: "2026-03-02T07:00:00.000Z",
    lastError: null,
    pausedUntil: null,
    pauseReason: null,
    ...over,
  }) as PublishedState["sync"];

describe("how booking stands, in words for the door", () => {
  it.each([
    ["nothing to book", { sync: sync({}), unbooked: 0 }, { state: "booked" }],
    [
      "shifts waiting",
      { sync: sync({ phase: "booking" }), unbooked: 3 },
      { state: "waiting", count: 3 },
    ],
    [
      "the last try failed after the last booking",
      {
        sync: sync({
          lastError: { at: "2026-03-02T07:01:00.000Z", code: "NETWORK", message: "x" },
        }),
        unbooked: 2,
      },
      { state: "offline", count: 2 },
    ],
    [
      "an old error, booked since",
      {
        sync: sync({
          lastError: { at: "2026-03-02T06:00:00.000Z", code: "NETWORK", message: "x" },
        }),
        unbooked: 2,
      },
      { state: "waiting", count: 2 },
    ],
    [
      "the endpoint paused",
      { sync: sync({ phase: "paused-endpoint" }), unbooked: 0 },
      { state: "offline", count: 0 },
    ],
    [
      "the login refused",
      { sync: sync({ phase: "paused-auth" }), unbooked: 5 },
      { state: "not-booking" },
    ],
    [
      "no API password",
      { sync: { phase: "no-credentials" } as PublishedState["sync"], unbooked: 1 },
      { state: "not-booking" },
    ],
    ["nothing published yet", { sync: null, unbooked: 4 }, { state: "waiting", count: 4 }],
  ] as const)("%s", (_what, state, expected) => {
    expect(bookingOf({ reader: null, clock: null, ...state })).toEqual(expected);
  });

  it.each([
    ["all well", "open", true, []],
    ["reader reconnecting", "reconnecting", true, ["reader"]],
    ["reader failed, clock not set", "failed", false, ["reader", "clock"]],
    ["clock not set", "open", false, ["clock"]],
  ] as const)("faults: %s", (_what, readerState, synchronized, expected) => {
    expect(
      faultsOf({
        sync: null,
        unbooked: 0,
        reader: { type: "serial", state: readerState, counters: {} },
        clock: { synchronized, source: "none", bootId: "b", checkedAt: AT },
      }),
    ).toEqual(expected);
  });
});
