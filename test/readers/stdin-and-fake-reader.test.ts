import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createReader } from "../../src/readers/create-reader.js";
import type { BadgeRead, ReaderStatus } from "../../src/readers/reader.js";
import { FakeClock } from "../fakes/clock.js";
import { FakeReader } from "../fakes/reader.js";
import { recorder, waitFor } from "./helpers.js";

describe("stdin reader", () => {
  it("reads one badge per line in the configured format and reports the end of input", async () => {
    const { reads, statuses, deps } = recorder();
    const stdin = new PassThrough();
    const reader = createReader({ type: "stdin", format: "wiegand26" }, { ...deps, stdin });
    await reader.start();
    expect(reader.status()).toMatchObject({ type: "stdin", state: "open" });

    stdin.write("161,45763\n0F00A1B2C3\n");
    stdin.end("1,2");
    await waitFor(() => reader.status().state === "stopped", "the end of input");

    expect(reads).toEqual([{ badgeId: "0000A1B2C3", knownBits: 24, raw: "161,45763" }]);
    expect(reader.status().counters).toMatchObject({ reads: 1, framesDropped: 2 });
    expect(statuses.at(-1)?.detail).toBe("standard input ended; no more badges will be read");
  });

  it("lets go of its input on stop", async () => {
    const { reads, deps } = recorder();
    const stdin = new PassThrough();
    const reader = createReader({ type: "stdin", format: "hex10" }, { ...deps, stdin });
    await reader.start();
    await reader.stop();
    expect(stdin.listenerCount("data")).toBe(0);
    stdin.write("0F00A1B2C3\n");
    expect(reads).toEqual([]);
    expect(reader.status().state).toBe("stopped");
  });
});

describe("FakeReader", () => {
  it("delivers pushed reads and status changes to the events", async () => {
    const reads: BadgeRead[] = [];
    const statuses: ReaderStatus[] = [];
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const reader = new FakeReader(
      { onBadge: (read) => reads.push(read), onStatus: (status) => statuses.push(status) },
      clock,
    );
    await reader.start();
    reader.push({ badgeId: "0F00A1B2C3" });
    reader.setState("reconnecting", "unplugged");
    await reader.stop();

    expect(reads).toEqual([{ badgeId: "0F00A1B2C3", knownBits: 40, raw: "0F00A1B2C3" }]);
    expect(statuses.map((status) => status.state)).toEqual(["open", "reconnecting", "stopped"]);
    expect(reader.status()).toMatchObject({
      counters: { reads: 1 },
      lastReadAt: "2026-03-02T07:00:00.000Z",
    });
    expect([reader.startCalls, reader.stopCalls]).toEqual([1, 1]);
  });
});
