import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import { ReaderRuntime } from "../../src/readers/reader-status.js";
import { type DeviceSession, Reconnector } from "../../src/readers/reconnector.js";
import { FakeClock } from "../fakes/clock.js";
import { waitFor } from "./helpers.js";

function setup() {
  const delays: number[] = [];
  const logger = createLogger(
    { level: "debug", redactBadges: false },
    {
      write: (line: string) => {
        const entry = JSON.parse(line);
        if (typeof entry.delayMs === "number") delays.push(entry.delayMs);
      },
    },
  );
  const clock = new FakeClock("2026-03-02T07:00:00Z");
  const runtime = new ReaderRuntime(
    { logger, clock, events: { onBadge: () => {} } },
    { type: "test" },
  );
  return { delays, clock, runtime };
}

/** A session that ends when the test says so. */
function session(): DeviceSession & { end(reason: string): void } {
  let end: (reason: string) => void = () => {};
  const closed = new Promise<string>((resolve) => {
    end = resolve;
  });
  return { closed, close: async () => end("closed"), end };
}

describe("Reconnector", () => {
  it("doubles the delay after each failed open up to the cap", async () => {
    const { delays, runtime } = setup();
    const reconnector = new Reconnector(
      runtime,
      async () => {
        throw new Error("no device");
      },
      () => "the device is missing; plug it in",
      { initialMs: 1, maxMs: 8 },
    );
    await reconnector.start();
    expect(runtime.status()).toMatchObject({
      state: "reconnecting",
      detail: "the device is missing; plug it in",
    });
    await waitFor(() => delays.length >= 6, "six attempts");
    await reconnector.stop();
    expect(delays.slice(0, 6)).toEqual([1, 2, 4, 8, 8, 8]);
    expect(runtime.status().state).toBe("stopped");
  });

  it("starts the backoff afresh after a device that worked for a while, but not after one that died at once", async () => {
    const { delays, clock, runtime } = setup();
    const sessions: ReturnType<typeof session>[] = [];
    const reconnector = new Reconnector(
      runtime,
      async () => {
        const next = session();
        sessions.push(next);
        return next;
      },
      () => "unused",
      { initialMs: 1, maxMs: 64 },
    );
    await reconnector.start();
    sessions[0]?.end("died at once");
    await waitFor(() => sessions.length === 2, "the second open");
    sessions[1]?.end("died at once again");
    await waitFor(() => sessions.length === 3, "the third open");
    clock.advance(60_000);
    sessions[2]?.end("unplugged after a minute");
    await waitFor(() => sessions.length === 4, "the fourth open");
    await reconnector.stop();

    expect(delays).toEqual([1, 2, 1]);
    expect(runtime.status().counters.reopens).toBe(3);
  });
});
