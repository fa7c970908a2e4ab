import { describe, expect, it } from "vitest";
import { type MergeShift, type MergeTap, mergeTaps, shiftOf } from "../../src/pairing/merge.js";
import {
  type BadgeOwner,
  decideTap,
  type PairingSettings,
  type TapTime,
  type UserState,
} from "../../src/pairing/pairing.js";

const settings: PairingSettings = {
  minGapSeconds: 60,
  maxShiftHours: 12,
  minShiftSeconds: 0,
  terminalName: "front",
  commentTemplate: "{terminal}",
  rounding: null,
};

const owner: BadgeOwner = {
  email: "anna@example.com",
  badgeId: "0F00A1B2C3",
  badgeName: "Anna",
  timeTypeId: "work",
  projectId: null,
};

const T0 = Date.parse("2026-03-10T07:00:00Z");
const empty: UserState<string> = { openShift: null, lastAccepted: null };

/** Each door its own boot: across doors only the wall clock compares. */
function time(door: string, minutes: number): TapTime {
  return {
    at: new Date(T0 + minutes * 60_000),
    monoMs: minutes * 60_000,
    bootId: door,
    synced: true,
  };
}

interface Told {
  door: string;
  n: number;
  minutes: number;
}

/**
 * Taps as the doors decided them, one after another, each door with its own idea of the user's
 * state: `online` taps pair against the site's state, a door's offline taps against the state
 * that door last knew (`knew`). Returns the merge input: taps with what each door told, and the
 * shifts they recorded.
 */
function recordTaps(
  sequence: readonly (Told & { view: "site" | "door" })[],
  knew: UserState<string> = empty,
) {
  let site = empty;
  let door = knew;
  const taps: MergeTap[] = [];
  const recorded: MergeShift[] = [];
  for (const step of sequence) {
    const key = `${step.door}/${step.n}`;
    const tapTime = time(step.door, step.minutes);
    const from = step.view === "site" ? site : door;
    const decision = decideTap<string>(
      from,
      { tapId: key, time: tapTime, owner, newEntryId: `e-${key}` },
      settings,
    );
    if (step.view === "site") site = decision.state;
    else door = decision.state;
    taps.push({
      key,
      terminal: step.door,
      time: tapTime,
      owner,
      newEntryId: `e-${key}`,
      stateAfter: decision.state,
      provisional: step.view === "door",
    });
    const shift = shiftOf(decision, { key, time: tapTime });
    if (shift) recorded.push(shift);
  }
  return { taps, recorded };
}

const sig = (shift: MergeShift) => `${shift.kind} ${shift.startTap}-${shift.endTap ?? "open"}`;

describe("mergeTaps", () => {
  it.each([
    {
      name: "a door offline alone: its own in and out stand",
      taps: [
        { door: "B", n: 1, minutes: 0, view: "door" as const },
        { door: "B", n: 2, minutes: 480, view: "door" as const },
      ],
      same: true,
      keep: ["entry B/1-B/2"],
      conflicts: [] as string[][],
      open: null,
    },
    {
      name: "in at A online, out at B offline that knew of it: one shift, as recorded",
      knew: "A/1",
      taps: [
        { door: "A", n: 1, minutes: 0, view: "site" as const },
        { door: "B", n: 1, minutes: 480, view: "door" as const },
      ],
      same: true,
      keep: ["entry A/1-B/1"],
      conflicts: [],
      open: null,
    },
    {
      name: "B offline did not know of A's clock-in: B's in pairs with A's, to review; B's shift stays open, disputed",
      taps: [
        { door: "A", n: 1, minutes: 0, view: "site" as const },
        { door: "B", n: 1, minutes: 240, view: "door" as const },
      ],
      same: false,
      keep: [],
      conflicts: [["entry A/1-B/1"]],
      open: "B/1",
      disputed: true,
    },
    {
      name: "out at B offline, then out again at A: the booked shift and B's go to review together",
      knew: "A/1",
      taps: [
        { door: "A", n: 1, minutes: 0, view: "site" as const },
        { door: "B", n: 1, minutes: 240, view: "door" as const },
        { door: "A", n: 2, minutes: 245, view: "site" as const },
      ],
      same: false,
      keep: [],
      conflicts: [["entry A/1-A/2", "entry A/1-B/1"]],
      open: null,
    },
    {
      name: "a shift of another day does not go to review with the conflict",
      taps: [
        { door: "B", n: 1, minutes: -1440, view: "door" as const },
        { door: "B", n: 2, minutes: -960, view: "door" as const },
        { door: "A", n: 1, minutes: 0, view: "site" as const },
        { door: "B", n: 3, minutes: 240, view: "door" as const },
      ],
      same: false,
      keep: ["entry B/1-B/2"],
      conflicts: [["entry A/1-B/3"]],
      open: "B/3",
      disputed: true,
    },
    {
      name: "in at both doors within the gap: same shifts, but the open shift differs: disputed",
      taps: [
        { door: "A", n: 1, minutes: 0, view: "site" as const },
        { door: "B", n: 1, minutes: 0.5, view: "door" as const },
      ],
      same: false,
      keep: [],
      conflicts: [],
      open: "B/1",
      disputed: true,
    },
  ])("$name", (row) => {
    const knew: UserState<string> = row.knew
      ? {
          openShift: {
            badgeId: owner.badgeId,
            badgeName: owner.badgeName,
            startTapId: row.knew,
            start: time("A", 0),
            timeTypeId: "work",
            projectId: null,
          },
          lastAccepted: time("A", 0),
        }
      : empty;
    const { taps, recorded } = recordTaps(row.taps, knew);
    const result = mergeTaps({ before: empty, taps: [...taps].reverse(), recorded, settings });
    expect(result.same).toBe(row.same);
    expect(result.keep.map(sig)).toEqual(row.keep);
    expect(
      result.conflicts.map((conflict) =>
        [...conflict.recorded, ...conflict.merged].map(sig).sort(),
      ),
    ).toEqual(row.conflicts);
    expect(result.state.openShift?.startTapId ?? null).toBe(row.open);
    expect(Boolean(result.state.openShift?.disputed)).toBe(Boolean(row.disputed));
    for (const conflict of result.conflicts) {
      expect(conflict.reason).toMatch(/door B could not reach the site database/);
    }
  });

  it("orders taps by wall clock across doors, whatever the order they arrive in", () => {
    const { taps, recorded } = recordTaps([
      { door: "B", n: 7, minutes: 0, view: "door" },
      { door: "A", n: 3, minutes: 60, view: "door" },
      { door: "B", n: 8, minutes: 120, view: "door" },
    ]);
    const result = mergeTaps({
      before: empty,
      taps: [taps[2], taps[0], taps[1]] as MergeTap[],
      recorded,
      settings,
    });
    expect(result.order).toEqual(["B/7", "A/3", "B/8"]);
  });

  it("sends the clock-out of a disputed shift to review instead of booking it", () => {
    const disputed: UserState<string> = {
      openShift: {
        badgeId: owner.badgeId,
        badgeName: null,
        startTapId: "B/1",
        start: time("B", 0),
        timeTypeId: "work",
        projectId: null,
        disputed: "door B could not reach the site database",
      },
      lastAccepted: time("B", 0),
    };
    const decision = decideTap<string>(
      disputed,
      { tapId: "A/9", time: time("A", 480), owner, newEntryId: "e9" },
      settings,
    );
    expect(decision.kind).toBe("clock-out");
    if (decision.kind !== "clock-out") return;
    expect(decision.entry).toBeNull();
    expect(decision.review?.reason).toMatch(
      /^door B could not reach .*closed by tap A\/9 at 2026-03-10T15:00:00Z/,
    );
    expect(decision.state.openShift).toBeNull();
  });
});
