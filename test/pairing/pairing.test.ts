import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  type BadgeOwner,
  decideTap,
  type PairingSettings,
  shiftInstants,
  type TapIntent,
  type TapTime,
  type UserState,
} from "../../src/pairing/pairing.js";

const settings: PairingSettings = {
  minGapSeconds: 60,
  maxShiftHours: 12,
  minShiftSeconds: 0,
  terminalName: "front-door",
  commentTemplate: "{terminal} / {badgeName}",
  rounding: null,
};

const owner: BadgeOwner = {
  email: "anna@example.com",
  badgeId: "0F00A1B2C3",
  badgeName: "Anna",
  timeTypeId: "work",
  projectId: null,
};

const BOOT = "boot-1";
const T0 = Date.parse("2026-03-10T07:00:00Z");

/** A synchronised tap `minutes` after T0, in one boot, monotonic and wall clock in step. */
function at(minutes: number, extra: Partial<TapTime> = {}): TapTime {
  return {
    at: new Date(T0 + minutes * 60_000),
    monoMs: minutes * 60_000,
    bootId: BOOT,
    synced: true,
    ...extra,
  };
}

const empty: UserState = { openShift: null, lastAccepted: null };

/** Feeds taps one after another and returns the decisions, as the journal would. */
function run(taps: { time: TapTime; intent?: TapIntent }[]) {
  let state = empty;
  return taps.map((tap, index) => {
    const decision = decideTap(
      state,
      { tapId: index + 1, time: tap.time, owner, newEntryId: `e${index + 1}`, intent: tap.intent },
      settings,
    );
    state = decision.state;
    return decision;
  });
}

describe("decideTap", () => {
  it.each([
    { name: "first tap clocks in", taps: [at(0)], kinds: ["clock-in"] },
    { name: "second tap clocks out", taps: [at(0), at(480)], kinds: ["clock-in", "clock-out"] },
    {
      name: "third tap clocks in again",
      taps: [at(0), at(240), at(270)],
      kinds: ["clock-in", "clock-out", "clock-in"],
    },
    {
      name: "a tap within minGap is ignored",
      taps: [at(0), at(0.5)],
      kinds: ["clock-in", "ignored"],
    },
    { name: "exactly minGap later counts", taps: [at(0), at(1)], kinds: ["clock-in", "clock-out"] },
    {
      name: "ignored taps do not move the gap window",
      taps: [at(0), at(0.5), at(1.2)],
      kinds: ["clock-in", "ignored", "clock-out"],
    },
    {
      name: "an overlong shift goes to review and the tap opens a new one",
      taps: [at(0), at(12 * 60 + 1)],
      kinds: ["clock-in", "clock-in"],
    },
    {
      name: "exactly maxShiftHours still closes",
      taps: [at(0), at(12 * 60)],
      kinds: ["clock-in", "clock-out"],
    },
  ])("$name", ({ taps, kinds }) => {
    expect(run(taps.map((time) => ({ time }))).map((d) => d.kind)).toEqual(kinds);
  });

  it("creates one entry with start, end, user, time type, project and the rendered comment", () => {
    const [, out] = run([{ time: at(0) }, { time: at(480) }]);
    expect(out?.kind).toBe("clock-out");
    if (out?.kind !== "clock-out") return;
    expect(out.entry).toEqual({
      id: "e2",
      email: "anna@example.com",
      start: new Date("2026-03-10T07:00:00Z"),
      end: new Date("2026-03-10T15:00:00Z"),
      timeTypeId: "work",
      projectId: null,
      comment: "front-door / Anna",
      startTapId: 1,
      endTapId: 2,
      held: false,
      rounding: null,
    });
  });

  it("sends the overlong shift to review with a reason and never invents an end", () => {
    const [, second] = run([{ time: at(0) }, { time: at(13 * 60) }]);
    expect(second?.kind).toBe("clock-in");
    if (second?.kind !== "clock-in") return;
    expect(second.review?.shift.startTapId).toBe(1);
    expect(second.review?.reason).toContain("more than 12 h");
    expect(second.state.openShift?.startTapId).toBe(2);
  });

  it("says why a tap was ignored", () => {
    const [, second] = run([{ time: at(0) }, { time: at(0.5) }]);
    expect(second?.kind === "ignored" && second.reason).toContain("30 s after");
  });

  it.each([
    {
      name: "out key with no open shift is ignored",
      taps: [{ time: at(0), intent: { kind: "out" } as TapIntent }],
      kinds: ["ignored"],
    },
    {
      name: "in key with an open shift reviews it and opens a new one",
      taps: [{ time: at(0) }, { time: at(60), intent: { kind: "in" } as TapIntent }],
      kinds: ["clock-in", "clock-in"],
    },
    {
      name: "break key closes the shift and opens one with the break time type",
      taps: [
        { time: at(0) },
        { time: at(240), intent: { kind: "switch", timeTypeId: "break" } as TapIntent },
        { time: at(270) },
      ],
      kinds: ["clock-in", "clock-out", "clock-out"],
    },
  ])("$name", ({ taps, kinds }) => {
    const decisions = run(taps);
    expect(decisions.map((d) => d.kind)).toEqual(kinds);
    const last = decisions.at(-1);
    if (kinds.at(-1) === "clock-out" && last?.kind === "clock-out")
      expect(last.entry?.timeTypeId).toBe("break");
  });
});

describe("pairing.minShiftSeconds", () => {
  /** Clock-in at T0, then the taps `seconds` later; minGap 0 so that only minShift decides. */
  function shortShift(seconds: number[], minShiftSeconds: number, intent?: TapIntent) {
    let state = empty;
    const times = [0, ...seconds].map((s) => at(s / 60));
    return times.map((time, index) => {
      const decision = decideTap(
        state,
        {
          tapId: index + 1,
          time,
          owner,
          newEntryId: `e${index + 1}`,
          intent: index === times.length - 1 ? intent : undefined,
        },
        { ...settings, minGapSeconds: 0, minShiftSeconds },
      );
      state = decision.state;
      return decision;
    });
  }

  it.each([
    { name: "0 books every shift", after: 5, min: 0, booked: true },
    { name: "shorter goes to review", after: 95, min: 300, booked: false },
    { name: "one second short goes to review", after: 299, min: 300, booked: false },
    { name: "exactly the minimum is booked", after: 300, min: 300, booked: true },
    { name: "longer is booked", after: 8 * 3600, min: 300, booked: true },
  ])("$name", ({ after, min, booked }) => {
    const [, out] = shortShift([after], min);
    expect(out?.kind).toBe("clock-out");
    if (out?.kind !== "clock-out") return;
    expect(out.entry !== null).toBe(booked);
    expect(out.review !== null).toBe(!booked);
    expect(out.state).toEqual({ openShift: null, lastAccepted: at(after / 60) });
  });

  it("names the clock-out's tap and instant so an admin can book it with that end", () => {
    const [, out] = shortShift([95], 300);
    if (out?.kind !== "clock-out") throw new Error("expected a clock-out");
    expect(out.review).toMatchObject({
      email: "anna@example.com",
      shift: { startTapId: 1, start: at(0) },
      reason:
        "clocked out 95 s after clocking in (tap 2 at 2026-03-10T07:01:35Z), less than pairing.minShiftSeconds (300 s); book it with that end or discard it",
    });
  });

  it("measures the shift by the monotonic clock, so an NTP step cannot make it short", () => {
    let state = empty;
    const decide = (time: TapTime, tapId: number) => {
      const decision = decideTap(
        state,
        { tapId, time, owner, newEntryId: `e${tapId}` },
        { ...settings, minShiftSeconds: 300 },
      );
      state = decision.state;
      return decision;
    };
    decide(at(0), 1);
    // Wall clock stepped back 7 minutes during a 10-minute shift.
    const out = decide({ ...at(10), at: new Date(T0 + 3 * 60_000) }, 2);
    expect(out.kind === "clock-out" && out.entry !== null).toBe(true);
  });

  it("with the switch key, reviews the short shift and still opens the next", () => {
    const [, out] = shortShift([95], 300, { kind: "switch", timeTypeId: "break" });
    if (out?.kind !== "clock-out") throw new Error("expected a clock-out");
    expect(out.review).not.toBeNull();
    expect(out.next).toMatchObject({ startTapId: 2, timeTypeId: "break" });
  });
});

describe("instants across midnight, DST and clock steps", () => {
  const zone = "Europe/Berlin";
  const local = (iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();

  it.each([
    {
      name: "night shift over midnight",
      from: "2026-01-15T22:00",
      to: "2026-01-16T06:00",
      hours: 8,
    },
    {
      name: "spring forward (02:00 → 03:00)",
      from: "2026-03-29T01:00",
      to: "2026-03-29T05:00",
      hours: 3,
    },
    {
      name: "fall back (03:00 → 02:00)",
      from: "2026-10-25T01:00",
      to: "2026-10-25T05:00",
      hours: 5,
    },
  ])("$name lasts the true number of hours", ({ from, to, hours }) => {
    const start = local(from);
    const end = local(to);
    const a: TapTime = { at: start, monoMs: 0, bootId: BOOT, synced: true };
    const b: TapTime = {
      at: end,
      monoMs: end.getTime() - start.getTime(),
      bootId: BOOT,
      synced: true,
    };
    const instants = shiftInstants(a, b);
    expect(instants.end.getTime() - instants.start.getTime()).toBe(hours * 3_600_000);
    expect(DateTime.fromJSDate(instants.end, { zone }).toISO({ suppressMilliseconds: true })).toBe(
      DateTime.fromISO(to, { zone }).toISO({ suppressMilliseconds: true }),
    );
  });

  it.each([
    { name: "NTP steps the clock forward 7 min during a synced shift", step: 7 },
    { name: "NTP steps the clock back 7 min during a synced shift", step: -7 },
  ])("$name: the length comes from the monotonic clock", ({ step }) => {
    const start = at(0);
    const end: TapTime = {
      at: new Date(T0 + (240 + step) * 60_000),
      monoMs: 240 * 60_000,
      bootId: BOOT,
      synced: true,
    };
    const instants = shiftInstants(start, end);
    expect(instants).toEqual({ start: start.at, end: new Date(T0 + 240 * 60_000), held: false });
  });

  it("anchors an unsynchronised start on the synchronised end", () => {
    const start: TapTime = {
      at: new Date("2025-06-01T00:00:00Z"),
      monoMs: 1_000,
      bootId: BOOT,
      synced: false,
    };
    const end: TapTime = {
      at: new Date("2026-03-10T15:00:00Z"),
      monoMs: 1_000 + 8 * 3_600_000,
      bootId: BOOT,
      synced: true,
    };
    expect(shiftInstants(start, end)).toEqual({
      start: new Date("2026-03-10T07:00:00Z"),
      end: end.at,
      held: false,
    });
  });

  it("holds a shift whose instants both rest on an unsynchronised clock", () => {
    const start: TapTime = {
      at: new Date("2025-06-01T00:00:00Z"),
      monoMs: 0,
      bootId: BOOT,
      synced: false,
    };
    const end: TapTime = {
      at: new Date("2025-06-01T08:00:00Z"),
      monoMs: 8 * 3_600_000,
      bootId: BOOT,
      synced: false,
    };
    expect(shiftInstants(start, end).held).toBe(true);
  });

  it("across a reboot uses wall times and holds unless both were synchronised", () => {
    const start = at(0);
    const end: TapTime = {
      at: new Date(T0 + 60 * 60_000),
      monoMs: 5,
      bootId: "boot-2",
      synced: true,
    };
    expect(shiftInstants(start, end)).toEqual({ start: start.at, end: end.at, held: false });
    expect(shiftInstants(start, { ...end, synced: false }).held).toBe(true);
  });

  it("a clock-out that reads earlier than the clock-in goes to review", () => {
    const decisions = run([
      { time: at(0) },
      { time: { at: new Date(T0 - 3_600_000), monoMs: 0, bootId: "boot-2", synced: true } },
    ]);
    const second = decisions[1];
    expect(second?.kind === "clock-in" && second.review?.reason).toContain("set back");
  });
});
