import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import { createReader } from "../../src/readers/create-reader.js";
import { LogSummary, SUMMARY_WINDOW_MS } from "../../src/readers/log-summary.js";
import { ReaderRuntime } from "../../src/readers/reader-status.js";
import { FakeClock } from "../fakes/clock.js";
import { FakeTimers } from "../fakes/timers.js";
import { waitFor } from "./helpers.js";

function capture() {
  const lines: { msg: string; level: string; [key: string]: unknown }[] = [];
  const logger = createLogger(
    { level: "debug", redactBadges: false },
    { write: (line: string) => void lines.push(JSON.parse(line)) },
  );
  return { lines, logger };
}

describe("LogSummary", () => {
  function rig() {
    const { lines, logger } = capture();
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const timers = new FakeTimers(clock);
    const summary = new LogSummary(logger, { timers, monotonicMs: () => clock.monotonicMs() });
    const messages = () => lines.map((line) => line.msg);
    return { lines, clock, timers, summary, messages };
  }

  it("logs the first in full, counts the rest, and reports them once a window", () => {
    const { lines, timers, summary, messages } = rig();
    for (let i = 0; i < 500; i++) {
      summary.log("warn", { frame: i }, "dropped a frame");
      timers.advance(100);
    }
    // 500 drops over 50 s: one line so far; the window closes at 60 s.
    expect(messages()).toEqual(["dropped a frame"]);
    expect(lines[0]).toMatchObject({ level: "warn", frame: 0 });
    timers.advance(10_000);
    expect(lines[1]).toMatchObject({
      level: "warn",
      repeated: 499,
      seconds: 60,
      msg: "dropped a frame: 499 more in the last 60 s",
    });
  });

  it.each([
    // repeats in the first window, in the second; lines logged in all, and how they read
    [0, 0, ["x"]],
    [3, 0, ["x", "x: 3 more in the last 60 s"]],
    [3, 2, ["x", "x: 3 more in the last 60 s", "x: 2 more in the last 60 s"]],
  ])("with %i then %i repeats, logs %j", (first, second, expected) => {
    const { timers, summary, messages } = rig();
    summary.log("warn", {}, "x");
    for (let i = 0; i < first; i++) summary.log("warn", {}, "x");
    timers.advance(SUMMARY_WINDOW_MS);
    for (let i = 0; i < second; i++) summary.log("warn", {}, "x");
    timers.advance(SUMMARY_WINDOW_MS);
    timers.advance(SUMMARY_WINDOW_MS);
    expect(messages()).toEqual(expected);
    expect(timers.pending).toBe(0);
  });

  it("logs in full again after a quiet window, and keeps messages apart", () => {
    const { timers, summary, messages } = rig();
    summary.log("warn", {}, "a");
    summary.log("debug", {}, "b");
    summary.log("warn", {}, "a");
    timers.advance(SUMMARY_WINDOW_MS * 3);
    summary.log("warn", {}, "a");
    expect(messages()).toEqual(["a", "b", "a: 1 more in the last 60 s", "a"]);
  });

  it("reports what is still counted when flushed, and stops its timers", () => {
    const { timers, summary, messages, clock } = rig();
    summary.log("warn", {}, "a");
    clock.advance(12_000);
    summary.log("warn", {}, "a");
    summary.flush();
    expect(messages()).toEqual(["a", "a: 1 more in the last 12 s"]);
    expect(timers.pending).toBe(0);
  });
});

describe("a reader on a noisy line", () => {
  it("logs one line for a burst of dropped frames, keeps the exact counters, and reports the rest when stopped", async () => {
    const { lines, logger } = capture();
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const stdin = new PassThrough();
    const reader = createReader(
      { type: "stdin", format: "hex10" },
      { logger, clock, timers: new FakeTimers(clock), events: { onBadge: () => {} }, stdin },
    );
    await reader.start();
    stdin.write("garbage\n".repeat(200));
    stdin.write("0F00A1B2C3\n");
    await waitFor(() => reader.status().counters.reads === 1, "the read after the noise");
    expect(reader.status().counters.framesDropped).toBe(200);
    await reader.stop();
    expect(lines.map((line) => line.msg)).toEqual([
      "reader starting",
      "reader open",
      "dropped a frame",
      "badge read",
      "dropped a frame: 199 more in the last 1 s",
      "reader stopped",
    ]);
    expect(lines.at(-1)?.counters).toMatchObject({ framesDropped: 200, reads: 1 });
  });
});

describe("a reader that keeps reconnecting", () => {
  it("logs the first reconnect and reopen in full, then counts them", () => {
    const { lines, logger } = capture();
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const timers = new FakeTimers(clock);
    const runtime = new ReaderRuntime(
      { logger, clock, timers, events: { onBadge: () => {} } },
      { type: "serial", device: "/dev/ttyUSB0" },
    );
    runtime.setState("starting");
    runtime.setState("open");
    for (let i = 0; i < 20; i++) {
      runtime.setState("reconnecting", "unplugged");
      timers.advance(1000);
      runtime.count("reopens");
      runtime.setState("open");
    }
    timers.advance(SUMMARY_WINDOW_MS);
    runtime.setState("stopped");
    expect(lines.map((line) => line.msg)).toEqual([
      "reader starting",
      "reader open",
      "reader reconnecting",
      "reader open again",
      "reader reconnecting: 19 more in the last 60 s",
      "reader open again: 19 more in the last 60 s",
      "reader stopped",
    ]);
    expect(runtime.status().counters.reopens).toBe(20);
  });
});
