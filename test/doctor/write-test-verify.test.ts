import { describe, expect, it } from "vitest";
import { writeTestCheck } from "../../src/doctor/write-test.js";
import type { GoodTimeClient, NewTimeEntry, TimeEntry } from "../../src/goodtime/client.js";
import { depsWith, loadedWith } from "./helpers.js";

/**
 * Servers the strict simulator cannot play: one that drops the offset and reads the wall time in
 * its own zone, one that stores entries where no query finds them. Only the three calls the write
 * test makes are stood in for.
 */
class MisreadingServer {
  readonly entries = new Map<string, TimeEntry>();
  deleted: string[] = [];

  constructor(
    private readonly shiftMs: number,
    private readonly listed = true,
  ) {}

  async timeEntries(query: { from: Date; to: Date }): Promise<TimeEntry[]> {
    if (!this.listed) return [];
    return [...this.entries.values()].filter(
      (entry) => entry.start >= query.from && entry.start < query.to,
    );
  }

  async createTimeEntry(entry: NewTimeEntry): Promise<{ id: string }> {
    const id = `entry-${this.entries.size + 1}`;
    this.entries.set(id, {
      ...entry,
      id,
      start: new Date(entry.start.getTime() + this.shiftMs),
      end: new Date(entry.end.getTime() + this.shiftMs),
    });
    return { id };
  }

  async deleteTimeEntry(id: string): Promise<void> {
    this.entries.delete(id);
    this.deleted.push(id);
  }
}

async function writeTest(server: MisreadingServer) {
  return writeTestCheck.run(depsWith({ writeTest: true }), {
    loaded: loadedWith({ terminal: { timeZone: "Europe/Berlin" } }),
    client: server as unknown as GoodTimeClient,
    serverReachable: true,
    loggedIn: true,
  });
}

describe("the write test's round trip", () => {
  it("names the shift when the server reads 03:00+02:00 as 03:00 in New York", async () => {
    const server = new MisreadingServer(6 * 3_600_000);
    expect(await writeTest(server)).toEqual({
      status: "fail",
      finding:
        "the test entry was sent as 2026-10-23 03:00 +02:00 to 2026-10-23 03:05 +02:00 but came back as 2026-10-23 09:00 +02:00 to 2026-10-23 09:05 +02:00 (+6 h); test entry entry-1 deleted",
      fix: 'the server reads or writes times in another zone or format: check server.timeFormat ("iso-offset") and terminal.timeZone (Europe/Berlin); "iso-offset" avoids zone mix-ups if the server accepts it',
    });
    expect(server.deleted).toEqual(["entry-1"]);
  });

  it("fails, and still deletes, when the booked entry cannot be found again", async () => {
    const server = new MisreadingServer(0, false);
    expect(await writeTest(server)).toMatchObject({
      status: "fail",
      finding:
        "the test entry entry-1 was booked for 2026-10-23 03:00 +02:00, but reading that day back does not list it; test entry entry-1 deleted",
    });
    expect(server.entries.size).toBe(0);
  });

  it("passes a server that keeps the minute", async () => {
    const server = new MisreadingServer(0);
    expect(await writeTest(server)).toMatchObject({ status: "ok" });
  });
});
