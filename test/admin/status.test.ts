import { describe, expect, it } from "vitest";
import { assessStatus, type StatusInputs, statusLevel } from "../../src/admin/status.js";
import { renderStatus } from "../../src/cli/status-text.js";

const NOW = new Date("2026-03-10T12:00:00Z");

function healthy(): StatusInputs {
  return {
    now: NOW,
    zone: "Europe/Berlin",
    daemon: { pid: 42, startedAt: "2026-03-10T06:00:00Z", name: "door", running: true },
    reader: {
      type: "serial",
      device: "/dev/serial0",
      state: "open",
      counters: { reads: 3 },
      lastReadAt: "2026-03-10T11:00:00Z",
    },
    sync: {
      phase: "idle",
      lastBookedAt: null,
      lastError: null,
      pausedUntil: null,
      pauseReason: null,
    },
    clock: { synchronized: true, source: "chrony", bootId: "b", checkedAt: "2026-03-10T11:00:00Z" },
    serverClock: { skewMs: 1500, ok: true, observedAt: "2026-03-10T11:59:00Z" },
    entries: { held: 0, pending: 1, sending: 0, booked: 4, refused: 0, discarded: 0 },
    oldestUnbookedAt: new Date("2026-03-10T11:50:00Z"),
    lastBookedAt: new Date("2026-03-10T11:00:00Z"),
    openShifts: [],
    openReviews: 0,
    unknownBadges: [],
    unknownSeenAt: null,
    backup: null,
    site: null,
  };
}

describe("assessStatus", () => {
  it("finds nothing in a healthy terminal", () => {
    expect(assessStatus(healthy())).toEqual([]);
    expect(statusLevel([])).toBe("ok");
    expect(renderStatus(healthy(), [])).toMatch(/^OK: nothing needs attention\n/);
  });

  it.each([
    [["notice"], "ok"],
    [["warning", "notice"], "warning"],
    [["critical", "warning"], "critical"],
  ] as const)("rates %j as %s", (severities, level) => {
    expect(
      statusLevel(severities.map((severity) => ({ severity, code: "last-error", message: "x" }))),
    ).toBe(level);
  });

  it("fits every line in 80 columns, however long the parts' texts", () => {
    const inputs = healthy();
    if (inputs.reader) {
      inputs.reader.device =
        "/dev/serial/by-id/usb-Prolific_Technology_Inc._USB-Serial_Controller-if00-port0";
      inputs.reader.counters = {
        reads: 123456,
        duplicatesSuppressed: 98765,
        framesDropped: 4321,
        noiseBytes: 99999,
        reopens: 12,
      };
    }
    inputs.sync = {
      phase: "idle",
      lastBookedAt: null,
      lastError: { at: NOW.toISOString(), code: "GT_REFUSED", message: "x".repeat(150) },
      pausedUntil: null,
      pauseReason: null,
    };
    inputs.openShifts = [
      {
        email: "a.very.long.login.email.address@a-rather-long-company-domain.example.com",
        badgeName: "Anna Maria Schmidt-Oberhauser",
        start: NOW,
        startSynced: false,
      },
    ];
    inputs.entries.refused = 3;
    inputs.site = {
      terminalId: "warehouse-door-with-a-long-name",
      online: false,
      lastContactAt: NOW.toISOString(),
      waiting: 12345,
      provisional: 678,
      unbooked: 9,
      lastMerge: { at: NOW.toISOString(), agreed: 40, conflicts: 2 },
      lastError: "y".repeat(120),
    };
    const text = renderStatus(inputs, assessStatus(inputs));
    const lines = text.split("\n");
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    expect(text.replace(/\s+/g, "")).toContain("x".repeat(150));
  });

  it.each<[string, (s: StatusInputs) => void, string, string]>([
    [
      "never run",
      (s) => {
        s.daemon = null;
      },
      "critical",
      "has never run",
    ],
    [
      "daemon gone",
      (s) => {
        if (s.daemon) s.daemon.running = false;
      },
      "critical",
      "not running (no process holds its data directory; it last ran as pid 42)",
    ],
    [
      "reader reconnecting",
      (s) => {
        if (s.reader) Object.assign(s.reader, { state: "reconnecting", detail: "unplugged" });
      },
      "critical",
      "reader /dev/serial0 is reconnecting: badges are not read (unplugged)",
    ],
    [
      "auth paused",
      (s) => {
        s.sync = {
          phase: "paused-auth",
          lastBookedAt: null,
          lastError: { at: "2026-03-10T11:00:00Z", code: "GT_AUTH_REJECTED", message: "401" },
          pausedUntil: "2026-03-10T12:05:00Z",
          pauseReason: "401",
        };
      },
      "critical",
      "booking is paused: GoodTime refused the login (401); next try 2026-03-10 13:05 +01:00",
    ],
    [
      "endpoint paused",
      (s) => {
        s.sync = {
          phase: "paused-endpoint",
          lastBookedAt: null,
          lastError: { at: "2026-03-10T11:00:00Z", code: "GT_NOT_API", message: "a web page" },
          pausedUntil: "2026-03-10T12:05:00Z",
          pauseReason: "a captive portal's page answered POST /api/login",
        };
      },
      "critical",
      "booking is paused until GoodTime answers as its API again (a captive portal's page answered POST /api/login); next try 2026-03-10 13:05 +01:00. Taps are stored and nothing is lost",
    ],
    [
      "no credentials",
      (s) => {
        s.sync = { phase: "no-credentials", detail: "no API password" };
      },
      "critical",
      "nothing is booked",
    ],
    ["refused", (s) => (s.entries.refused = 2), "warning", "2 entries were refused by GoodTime"],
    [
      "clock",
      (s) => {
        s.clock = {
          synchronized: false,
          source: "none",
          bootId: "b",
          detail: "no NTP",
          checkedAt: NOW.toISOString(),
        };
        s.entries.held = 1;
      },
      "warning",
      "not synchronised (no NTP); 1 entry is held",
    ],
    [
      "skew",
      (s) => {
        s.serverClock = { skewMs: -185_000, ok: false, observedAt: NOW.toISOString() };
      },
      "warning",
      "differs from GoodTime's by -185 s",
    ],
    ["reviews", (s) => (s.openReviews = 1), "warning", "1 shift waits for review"],
    [
      "unknown badges",
      (s) => {
        s.unknownSeenAt = new Date("2026-03-10T08:00:00Z");
        s.unknownBadges = ["0E00000001", "0E00000002", "0E00000003", "0E00000004"].map(
          (badgeId, i) => ({
            badgeId,
            knownBits: 40,
            taps: i + 1,
            firstAt: "2026-03-10T09:00:00Z",
            lastAt: "2026-03-10T10:00:00Z",
            text: badgeId,
          }),
        );
      },
      "warning",
      "4 unknown badges were tapped since 2026-03-10 09:00 +01:00 and refused: 0E00000001 (1×, last 2026-03-10 11:00 +01:00), 0E00000002 (2×",
    ],
    [
      "a booking error",
      (s) => {
        s.sync = {
          phase: "idle",
          lastBookedAt: null,
          lastError: { at: "2026-03-10T11:00:00Z", code: "GT_REFUSED", message: "422 overlap" },
          pausedUntil: null,
          pauseReason: null,
        };
      },
      "notice",
      "last booking error at 2026-03-10 12:00 +01:00: 422 overlap [GT_REFUSED]",
    ],
    [
      "backlog",
      (s) => {
        s.oldestUnbookedAt = new Date("2026-03-10T09:30:00Z");
      },
      "notice",
      "waited 2 h 30 min, since 2026-03-10 10:30 +01:00",
    ],
    [
      "a door cut off from the site database",
      (s) => {
        s.site = {
          terminalId: "front-door",
          online: false,
          lastContactAt: "2026-03-10T11:40:00Z",
          waiting: 3,
          unbooked: null,
          provisional: 2,
          lastMerge: null,
          lastError: "connect ECONNREFUSED 10.0.0.5:5432",
        };
      },
      "warning",
      "cannot reach the site database since 2026-03-10 12:40 +01:00 (connect ECONNREFUSED 10.0.0.5:5432): it answers taps and pairs them with what it last knew (2 so far)",
    ],
  ])("reports %s", (_name, change, severity, message) => {
    const inputs = healthy();
    change(inputs);
    const [first, ...rest] = assessStatus(inputs);
    expect(rest).toEqual([]);
    expect(first?.severity).toBe(severity);
    expect(first?.message).toContain(message);
  });

  it("puts the most urgent first and ignores stale documents of a stopped daemon", () => {
    const inputs = healthy();
    inputs.openReviews = 1;
    inputs.oldestUnbookedAt = new Date("2026-03-09T12:00:00Z");
    inputs.entries.refused = 1;
    if (inputs.daemon) inputs.daemon.running = false;
    if (inputs.reader) inputs.reader.state = "failed";
    const found = assessStatus(inputs);
    expect(found.map((item) => item.severity)).toEqual([
      "critical",
      "warning",
      "warning",
      "notice",
    ]);
    expect(found[0]?.message).toContain("not running");
    expect(renderStatus(inputs, found).replace(/\s+/g, " ")).toContain(
      "reader serial /dev/serial0: failed; last read 2026-03-10 12:00 +01:00; reads 3 (as last published)",
    );
  });
});
