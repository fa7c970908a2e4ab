import { describe, expect, it } from "vitest";
import { assessStatus, renderStatus, type StatusInputs } from "../../src/admin/status.js";

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
    clock: { synchronized: true, source: "chrony", bootId: "b" },
    serverClock: { skewMs: 1500, ok: true, observedAt: "2026-03-10T11:59:00Z" },
    entries: { held: 0, pending: 1, sending: 0, booked: 4, refused: 0, discarded: 0 },
    oldestUnbookedAt: new Date("2026-03-10T11:50:00Z"),
    lastBookedAt: new Date("2026-03-10T11:00:00Z"),
    openShifts: [],
    openReviews: 0,
  };
}

describe("assessStatus", () => {
  it("finds nothing in a healthy terminal", () => {
    expect(assessStatus(healthy())).toEqual([]);
    expect(renderStatus(healthy(), [])).toMatch(/^OK: nothing needs attention\n/);
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
      "not running (pid 42 is gone)",
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
        s.clock = { synchronized: false, source: "none", bootId: "b", detail: "no NTP" };
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
    expect(renderStatus(inputs, found)).toContain(
      "serial /dev/serial0: failed; last read 2026-03-10 12:00 +01:00; reads 3 (as last published)",
    );
  });
});
