import { describe, expect, it } from "vitest";
import {
  type OutboxRow,
  type RemoteEntry,
  type SoakSnapshot,
  sameMinutes,
  soakProblems,
} from "../../bench/soak-checks.js";

const ANNA = "anna@example.test";
const BEN = "ben@example.test";
const at = (time: string) => new Date(`2026-11-27T${time}Z`);

const journal = [
  { id: 1, badgeId: "0C00000001", outcome: "clock-in", email: ANNA },
  { id: 2, badgeId: "0C00000001", outcome: "clock-out", email: ANNA },
  { id: 3, badgeId: "0C00000002", outcome: "clock-in", email: BEN },
];

const bookedRow: OutboxRow = {
  id: "e1",
  email: ANNA,
  start: at("08:00:10"),
  end: at("08:00:50"),
  startTapId: 1,
  endTapId: 2,
  state: "booked",
  ambiguous: false,
  serverId: "s1",
};

const remoteOfRow: RemoteEntry = {
  id: "s1",
  userEmail: ANNA,
  start: at("08:00:00"),
  end: at("08:01:00"),
};

const consistent: SoakSnapshot = {
  accepted: [
    { tapId: 1, outcome: "clock-in", badgeId: "0C00000001", run: 1 },
    { tapId: 2, outcome: "clock-out", badgeId: "0C00000001", run: 2 },
  ],
  journal,
  outbox: [bookedRow],
  remote: [remoteOfRow],
};

const inFlight: SoakSnapshot = {
  ...consistent,
  outbox: [{ ...bookedRow, state: "sending", ambiguous: true, serverId: null }],
};

describe("soakProblems", () => {
  it.each<{ name: string; snapshot: SoakSnapshot; final: boolean; problems: string[] }>([
    { name: "a consistent run", snapshot: consistent, final: true, problems: [] },
    {
      name: "an entry on the server whose answer was lost, mid-run",
      snapshot: inFlight,
      final: false,
      problems: [],
    },
    {
      name: "the same at the end",
      snapshot: inFlight,
      final: true,
      problems: [
        "server entry s1 of anna@example.test from 2026-11-27T08:00:00.000Z is not claimed by any outbox entry",
        "outbox entry e1 of anna@example.test is sending, not booked, at the end",
      ],
    },
    {
      name: "an accepted tap lost by the journal",
      snapshot: {
        ...consistent,
        accepted: [
          ...consistent.accepted,
          { tapId: 9, outcome: "clock-in", badgeId: "0C00000003", run: 3 },
        ],
      },
      final: false,
      problems: [
        "accepted tap 9 (clock-in, badge 0C00000003, logged by run 3) is missing from the journal",
      ],
    },
    {
      name: "an accepted tap journalled differently",
      snapshot: {
        ...consistent,
        accepted: [{ tapId: 3, outcome: "clock-out", badgeId: "0C00000002", run: 1 }],
      },
      final: false,
      problems: [
        "accepted tap 3 (clock-out, badge 0C00000002, logged by run 1) is journalled as clock-in of badge 0C00000002",
      ],
    },
    {
      name: "a shift booked twice",
      snapshot: { ...consistent, remote: [remoteOfRow, { ...remoteOfRow, id: "s2" }] },
      final: false,
      problems: [
        "server entry s2 of anna@example.test from 2026-11-27T08:00:00.000Z is not claimed by any booked or in-flight outbox entry",
        "2 server entries for anna@example.test 2026-11-27T08:00:00.000Z: booked more than once",
      ],
    },
    {
      name: "two outbox entries claiming one server entry",
      snapshot: { ...consistent, outbox: [bookedRow, { ...bookedRow, id: "e2" }] },
      final: false,
      problems: ["server entry s1 is claimed by 2 outbox entries: e1, e2"],
    },
    {
      name: "a booking the server does not hold",
      snapshot: { ...consistent, remote: [] },
      final: false,
      problems: ["outbox entry e1 says it was booked as s1, which the server does not hold"],
    },
    {
      name: "a booking with other minutes than the shift",
      snapshot: {
        ...consistent,
        remote: [{ ...remoteOfRow, start: at("09:00:00"), end: at("09:01:00") }],
      },
      final: false,
      problems: [
        "outbox entry e1 (anna@example.test, 2026-11-27T08:00:10.000Z) was booked as s1, which is anna@example.test from 2026-11-27T09:00:00.000Z to 2026-11-27T09:01:00.000Z",
      ],
    },
    {
      name: "an entry booked without taps in the journal",
      snapshot: { ...consistent, journal: journal.slice(2), accepted: [] },
      final: false,
      problems: [
        "server entry s1 of anna@example.test has no clock-in tap of that user in the journal (start tap 1)",
        "server entry s1 of anna@example.test has no clock-out tap of that user in the journal (end tap 2)",
      ],
    },
    {
      name: "an entry on the server nobody tapped",
      snapshot: {
        ...consistent,
        remote: [
          remoteOfRow,
          { id: "s9", userEmail: BEN, start: at("10:00:00"), end: at("11:00:00") },
        ],
      },
      final: false,
      problems: [
        "server entry s9 of ben@example.test from 2026-11-27T10:00:00.000Z is not claimed by any booked or in-flight outbox entry",
      ],
    },
  ])("$name", ({ snapshot, final, problems }) => {
    expect(soakProblems(snapshot, final)).toEqual(problems);
  });
});

describe("sameMinutes", () => {
  it.each([
    {
      start: "08:00:10",
      end: "08:00:50",
      remoteStart: "08:00:00",
      remoteEnd: "08:01:00",
      same: true,
    },
    {
      start: "08:00:10",
      end: "16:30:59",
      remoteStart: "08:00:00",
      remoteEnd: "16:30:00",
      same: true,
    },
    {
      start: "08:00:10",
      end: "16:30:59",
      remoteStart: "08:00:00",
      remoteEnd: "16:31:00",
      same: false,
    },
    {
      start: "08:00:10",
      end: "08:00:50",
      remoteStart: "08:01:00",
      remoteEnd: "08:02:00",
      same: false,
    },
  ])(
    "$start-$end against $remoteStart-$remoteEnd: $same",
    ({ start, end, remoteStart, remoteEnd, same }) => {
      expect(
        sameMinutes(
          { start: at(start), end: at(end) },
          { id: "s", userEmail: ANNA, start: at(remoteStart), end: at(remoteEnd) },
        ),
      ).toBe(same);
    },
  );
});
