import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import { createReader } from "../../src/readers/create-reader.js";
import { FakeClock } from "../fakes/clock.js";
import { waitFor } from "./helpers.js";

function capture() {
  const lines: string[] = [];
  const logger = createLogger(
    { level: "debug", redactBadges: true },
    { write: (line: string) => void lines.push(line) },
  );
  return { lines, logger, parsed: () => lines.map((line) => JSON.parse(line)) };
}

describe("reader logging", () => {
  it("logs state changes with counters, drops with their reason, and reads with the badge redacted", async () => {
    const { logger, parsed } = capture();
    const stdin = new PassThrough();
    const reader = createReader(
      { type: "stdin", format: "hex10" },
      {
        logger,
        clock: new FakeClock("2026-03-02T07:00:00Z"),
        events: { onBadge: () => {} },
        stdin,
      },
    );
    await reader.start();
    stdin.write("0F00A1B2C3\nnope\n");
    await waitFor(() => reader.status().counters.framesDropped === 1, "the drop");
    await reader.stop();

    const entries = parsed();
    expect(entries.every((entry) => entry.part === "reader" && entry.type === "stdin")).toBe(true);
    expect(entries.map((entry) => entry.msg)).toEqual([
      "reader starting",
      "reader open",
      "badge read",
      "dropped a frame",
      "reader stopped",
    ]);
    expect(entries[2]).toMatchObject({ badgeId: "[redacted]", knownBits: 40 });
    expect(entries[3]?.badge).toBe("[redacted]");
    expect(entries[4]?.counters).toMatchObject({ reads: 1, framesDropped: 1 });
  });

  it("says why a frame was dropped when badges are not redacted", async () => {
    const lines: string[] = [];
    const logger = createLogger(
      { level: "info", redactBadges: false },
      { write: (line: string) => void lines.push(line) },
    );
    const stdin = new PassThrough();
    const reader = createReader(
      { type: "stdin", format: "dec10" },
      {
        logger,
        clock: new FakeClock("2026-03-02T07:00:00Z"),
        events: { onBadge: () => {} },
        stdin,
      },
    );
    await reader.start();
    stdin.write("0F00A1B2C3\n");
    await waitFor(() => reader.status().counters.framesDropped === 1, "the drop");
    await reader.stop();
    const drop = lines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === "dropped a frame");
    expect(drop?.badge).toEqual({
      raw: "0F00A1B2C3",
      reason:
        'badge "0F00A1B2C3" is not a 10-digit decimal badge number such as 0010597059 (format dec10); it reads as hex10: set reader.format to "hex10"',
    });
  });

  it("does not repeat the part when handed the reader's child logger", async () => {
    const { logger, lines } = capture();
    const reader = createReader(
      { type: "stdin", format: "hex10" },
      {
        logger: logger.child({ part: "reader" }),
        clock: new FakeClock("2026-03-02T07:00:00Z"),
        events: { onBadge: () => {} },
        stdin: new PassThrough(),
      },
    );
    await reader.start();
    await reader.stop();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.match(/"part"/g)).toHaveLength(1);
  });
});
