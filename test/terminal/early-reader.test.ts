import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { BadgeRead } from "../../src/readers/reader.js";
import { EarlyReader, MAX_EARLY_READS } from "../../src/terminal/early-reader.js";
import { recorder, waitFor } from "../readers/helpers.js";

const hex = (i: number) => `0F00${i.toString(16).toUpperCase().padStart(6, "0")}`;

async function earlyStdin() {
  const { reads, statuses, deps } = recorder();
  const stdin = new PassThrough();
  const { events, ...openDeps } = deps;
  const early = await EarlyReader.open({ type: "stdin", format: "hex10" }, { ...openDeps, stdin });
  return { early, stdin, reads, statuses, deps: { ...openDeps, events } };
}

describe("EarlyReader", () => {
  it("keeps what it reads before the daemon starts it, and hands it over in order, then the end", async () => {
    const { early, stdin, reads, statuses, deps } = await earlyStdin();
    const ended: string[] = [];
    stdin.write(`${hex(1)}\n${hex(2)}\n`);
    stdin.end(`${hex(3)}\n`);
    const reader = early.adopt(
      { type: "stdin", format: "hex10" },
      { ...deps, events: { ...deps.events, onEnd: (detail) => ended.push(detail) } },
    );
    await waitFor(() => reader.status().state === "stopped", "the end of input");
    expect(reads).toEqual([]);
    expect(statuses).toEqual([]);

    await reader.start();
    expect(reads.map((read: BadgeRead) => read.badgeId)).toEqual([hex(1), hex(2), hex(3)]);
    expect(statuses.map((status) => status.state)).toEqual(["stopped"]);
    expect(ended).toEqual(["standard input ended; no more badges will be read"]);
    await reader.stop();
  });

  it("passes reads straight on once started, and keeps no more than its bound before", async () => {
    const { early, stdin, reads, deps } = await earlyStdin();
    stdin.write(Array.from({ length: MAX_EARLY_READS + 5 }, (_, i) => `${hex(i)}\n`).join(""));
    const reader = early.adopt({ type: "stdin", format: "hex10" }, deps);
    await waitFor(() => reader.status().counters.reads === MAX_EARLY_READS + 5, "every read");
    expect(reads).toEqual([]);
    await reader.start();
    expect(reads).toHaveLength(MAX_EARLY_READS);
    expect(reads.at(-1)?.badgeId).toBe(hex(MAX_EARLY_READS - 1));

    stdin.write(`${hex(9999)}\n`);
    await waitFor(() => reads.length === MAX_EARLY_READS + 1, "the read after start");
    expect(reads.at(-1)?.badgeId).toBe(hex(9999));
    await reader.stop();
    await early.stop();
    expect(reader.status().state).toBe("stopped");
  });
});
