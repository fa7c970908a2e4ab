import { describe, expect, it } from "vitest";
import type { TimeEntry } from "../../src/goodtime/types.js";
import type { OutboxEntry } from "../../src/store/outbox.js";
import { backoffDelayMs } from "../../src/sync/backoff.js";
import { instantsToSend, isSameEntry, lookupTarget, lookupWindow } from "../../src/sync/match.js";

const settings = { baseMs: 1000, maxMs: 60_000 };

describe("backoffDelayMs", () => {
  it.each([
    { attempt: 1, random: 0.999, max: 999 },
    { attempt: 2, random: 0.999, max: 1998 },
    { attempt: 4, random: 0.5, max: 4000 },
    { attempt: 7, random: 0.999, max: 59_940 },
    { attempt: 50, random: 0.999, max: 59_940 },
    { attempt: 3, random: 0, max: 0 },
  ])("attempt $attempt with random $random waits $max ms", ({ attempt, random, max }) => {
    expect(backoffDelayMs(attempt, settings, () => random)).toBe(max);
  });

  it.each([
    { retryAfterMs: 30_000, random: 0, expected: 30_000 },
    { retryAfterMs: 100, random: 0.999, expected: 999 },
    { retryAfterMs: 10 * 3_600_000, random: 0, expected: 240_000 },
  ])(
    "treats Retry-After $retryAfterMs ms as a floor, capped at four times the longest delay",
    ({ retryAfterMs, random, expected }) => {
      expect(backoffDelayMs(1, settings, () => random, retryAfterMs)).toBe(expected);
    },
  );
});

function local(start: string, end: string, comment: string | null = "front-door"): OutboxEntry {
  return {
    id: "local-1",
    email: "anna@example.com",
    start: new Date(start),
    end: new Date(end),
    rounding: null,
    timeTypeId: "t",
    projectId: null,
    comment,
    startTapId: 1,
    endTapId: 2,
    state: "sending",
    attempts: 1,
    nextAttemptAt: null,
    lastError: null,
    lastErrorCode: null,
    ambiguous: true,
    sentAs: null,
    serverId: null,
    createdAt: new Date(start),
    bookedAt: null,
  };
}

function remote(start: string, end: string, extra: Partial<TimeEntry> = {}): TimeEntry {
  return {
    id: "srv",
    start: new Date(start),
    end: new Date(end),
    userEmail: "Anna@Example.com",
    timeTypeId: "t",
    projectId: null,
    ...extra,
  };
}

describe("isSameEntry", () => {
  const ours = local("2026-03-10T07:00:31Z", "2026-03-10T15:02:10Z");
  it.each([
    {
      name: "same minutes, seconds dropped by the server",
      other: remote("2026-03-10T07:00:00Z", "2026-03-10T15:02:00Z"),
      same: true,
    },
    {
      name: "same comment",
      other: remote("2026-03-10T07:00:00Z", "2026-03-10T15:02:00Z", { comment: "front-door" }),
      same: true,
    },
    {
      name: "another comment (typed by a manager)",
      other: remote("2026-03-10T07:00:00Z", "2026-03-10T15:02:00Z", { comment: "manual" }),
      same: false,
    },
    {
      name: "start a minute later",
      other: remote("2026-03-10T07:01:00Z", "2026-03-10T15:02:00Z"),
      same: false,
    },
    {
      name: "end a minute earlier",
      other: remote("2026-03-10T07:00:00Z", "2026-03-10T15:01:00Z"),
      same: false,
    },
    {
      name: "another user",
      other: remote("2026-03-10T07:00:00Z", "2026-03-10T15:02:00Z", {
        userEmail: "ben@example.com",
      }),
      same: false,
    },
  ])("$name: $same", ({ other, same }) => {
    expect(isSameEntry(ours, other)).toBe(same);
  });

  it("matches a same-minute shift that the server stretched to the next minute", () => {
    const short = local("2026-03-10T07:00:05Z", "2026-03-10T07:00:40Z");
    expect(isSameEntry(short, remote("2026-03-10T07:00:00Z", "2026-03-10T07:01:00Z"))).toBe(true);
  });

  it("looks around the start minute", () => {
    expect(lookupWindow(ours)).toEqual({
      from: new Date("2026-03-10T06:59:00Z"),
      to: new Date("2026-03-10T07:02:00Z"),
    });
  });
});

describe("lookupTarget", () => {
  it("is the entry's booked span (whole minutes) when nothing was sent yet", () => {
    const entry = local("2026-03-10T07:00:31Z", "2026-03-10T15:02:10Z");
    expect(lookupTarget(entry)).toMatchObject({
      email: entry.email,
      comment: entry.comment,
      start: new Date("2026-03-10T07:00:00Z"),
      end: new Date("2026-03-10T15:02:00Z"),
    });
  });

  it("is what was sent, after an admin changed the entry's user and comment", () => {
    const entry = {
      ...local("2026-03-10T07:00:31Z", "2026-03-10T15:02:10Z", "edited"),
      email: "ben@example.com",
      sentAs: {
        userEmail: "anna@example.com",
        start: new Date("2026-03-10T07:00:00Z"),
        end: new Date("2026-03-10T15:02:00Z"),
        timeTypeId: "t",
        projectId: null,
        comment: "front-door",
      },
    };
    const target = lookupTarget(entry);
    expect(target).toEqual({
      email: "anna@example.com",
      start: new Date("2026-03-10T07:00:00Z"),
      end: new Date("2026-03-10T15:02:00Z"),
      comment: "front-door",
    });
    const onServer = remote("2026-03-10T07:00:00Z", "2026-03-10T15:02:00Z", {
      comment: "front-door",
    });
    expect(isSameEntry(target, onServer)).toBe(true);
    expect(isSameEntry(entry, onServer)).toBe(false);
  });

  it("ignores the comment when none was sent (API v1.1)", () => {
    const entry = {
      ...local("2026-03-10T07:00:31Z", "2026-03-10T15:02:10Z"),
      sentAs: {
        userEmail: "anna@example.com",
        start: new Date("2026-03-10T07:00:31Z"),
        end: new Date("2026-03-10T15:02:10Z"),
        timeTypeId: "t",
        projectId: null,
      },
    };
    expect(lookupTarget(entry).comment).toBeNull();
    const typed = remote("2026-03-10T07:00:00Z", "2026-03-10T15:02:00Z", { comment: "x" });
    expect(isSameEntry(lookupTarget(entry), typed)).toBe(true);
  });
});

describe("instantsToSend", () => {
  it.each([
    {
      start: "2026-03-10T07:00:05Z",
      end: "2026-03-10T07:00:05Z",
      sent: ["2026-03-10T07:00:00.000Z", "2026-03-10T07:01:00.000Z"],
    },
    {
      start: "2026-03-10T07:00:05Z",
      end: "2026-03-10T07:00:59Z",
      sent: ["2026-03-10T07:00:00.000Z", "2026-03-10T07:01:00.000Z"],
    },
    {
      start: "2026-03-10T07:00:59Z",
      end: "2026-03-10T07:01:02Z",
      sent: ["2026-03-10T07:00:00.000Z", "2026-03-10T07:01:00.000Z"],
    },
    {
      start: "2026-03-10T07:00:00Z",
      end: "2026-03-10T15:00:00Z",
      sent: ["2026-03-10T07:00:00.000Z", "2026-03-10T15:00:00.000Z"],
    },
  ])("$start – $end goes out as $sent", ({ start, end, sent }) => {
    const instants = instantsToSend({ start: new Date(start), end: new Date(end), rounding: null });
    expect([instants.start.toISOString(), instants.end.toISOString()]).toEqual(sent);
  });

  it("sends the span that the entry's rounding policy books", () => {
    const instants = instantsToSend({
      start: new Date("2026-03-10T06:52:30Z"),
      end: new Date("2026-03-10T15:07:45Z"),
      rounding: {
        start: { stepMinutes: 15, direction: "up" },
        end: { stepMinutes: 15, direction: "down" },
        zone: "Europe/Berlin",
      },
    });
    expect([instants.start.toISOString(), instants.end.toISOString()]).toEqual([
      "2026-03-10T07:00:00.000Z",
      "2026-03-10T15:00:00.000Z",
    ]);
  });
});
