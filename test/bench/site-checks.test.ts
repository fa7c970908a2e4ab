import { describe, expect, it } from "vitest";
import {
  type AcceptedSiteTap,
  type SiteEntryRow,
  type SiteSnapshot,
  siteProblems,
} from "../../bench/site-checks.js";
import type { RemoteEntry } from "../../bench/soak-checks.js";

const ANNA = "anna@example.test";
const at = (time: string) => new Date(`2026-11-30T${time}Z`);

const accepted: AcceptedSiteTap[] = [
  { door: "door-a", tapId: 1, outcome: "clock-in" },
  { door: "door-b", tapId: 1, outcome: "clock-out" },
];

const booked: SiteEntryRow = {
  id: "e1",
  email: ANNA,
  start: at("08:00:10"),
  end: at("08:00:50"),
  state: "booked",
  ambiguous: false,
  serverId: "s1",
};

const remote: RemoteEntry = {
  id: "s1",
  userEmail: ANNA,
  start: at("08:00:00"),
  end: at("08:01:00"),
};

const consistent: SiteSnapshot = {
  taps: [
    { door: "door-a", tapId: 1, outcome: "clock-in", email: ANNA, provisional: false, merge: null },
    { door: "door-b", tapId: 1, outcome: "clock-out", email: ANNA, provisional: true, merge: null },
  ],
  entries: [booked],
  reviews: [],
};

describe("siteProblems", () => {
  it("finds nothing in a consistent site", () => {
    expect(siteProblems(consistent, accepted, [remote], true)).toEqual([]);
  });

  it.each<[string, (s: SiteSnapshot) => SiteSnapshot, RemoteEntry[], boolean, string]>([
    [
      "an accepted tap missing from the site database at the end",
      (s) => ({ ...s, taps: s.taps.slice(0, 1) }),
      [remote],
      true,
      "tap door-b/1 (clock-out) is not in the site database",
    ],
    [
      "a tap stored with another outcome than its door told",
      (s) => ({
        ...s,
        taps: [
          { ...(s.taps[0] as SiteSnapshot["taps"][0]), outcome: "refused" },
          ...s.taps.slice(1),
        ],
      }),
      [remote],
      false,
      "tap door-a/1 (clock-in) is in the site database as refused",
    ],
    [
      "a shift booked twice at the server",
      (s) => s,
      [remote, { ...remote, id: "s2" }],
      false,
      "2 server entries for anna@example.test 2026-11-30T08:00:00.000Z: booked more than once",
    ],
    [
      "a site entry claiming a server entry that does not exist",
      (s) => s,
      [],
      false,
      "site entry e1 says it was booked as s1, which the server does not hold",
    ],
    [
      "an entry still pending at the end",
      (s) => ({ ...s, entries: [{ ...booked, state: "pending", serverId: null }] }),
      [],
      true,
      "site entry e1 of anna@example.test is pending at the end",
    ],
  ])("reports %s", (_name, change, server, final, problem) => {
    expect(siteProblems(change(consistent), accepted, server, final)).toContain(problem);
  });

  it("allows an ambiguous entry in flight to be unclaimed at the server, but not at the end", () => {
    const inFlight = {
      ...consistent,
      entries: [{ ...booked, state: "sending", ambiguous: true, serverId: null }],
    };
    expect(siteProblems(inFlight, accepted, [remote], false)).toEqual([]);
    expect(siteProblems(inFlight, accepted, [remote], true)).toContain(
      "server entry s1 of anna@example.test is not claimed by any site entry",
    );
  });
});
