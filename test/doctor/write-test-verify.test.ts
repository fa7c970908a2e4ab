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

  close(): void {}
}

async function writeTest(server: MisreadingServer) {
  // The same server answers whatever dialect the write test tries next.
  const createClient = () => server as unknown as GoodTimeClient;
  return writeTestCheck.run(depsWith({ writeTest: true, createClient }), {
    loaded: loadedWith({ terminal: { timeZone: "Europe/Berlin" } }),
    client: server as unknown as GoodTimeClient,
    serverReachable: true,
    loggedIn: true,
  });
}

describe("the write test's round trip", () => {
  it("names the shift when the server reads 03:00+02:00 as 03:00 in New York, in every format tried", async () => {
    const server = new MisreadingServer(6 * 3_600_000);
    const verdict = await writeTest(server);
    expect(verdict).toEqual({
      status: "fail",
      finding: expect.stringMatching(
        /^the server took none of the 3 dialects tried; server.timeFormat "iso-offset": the test entry was sent as 2026-10-23 03:00 \+02:00 to 2026-10-23 03:05 \+02:00 but came back as 2026-10-23 09:00 \+02:00 to 2026-10-23 09:05 \+02:00 \(\+6 h\); test entry entry-1 deleted \| server.timeFormat "iso-local": .* \| server.timeFormat "epoch-ms": .*\(\+6 h\); test entry entry-1 deleted$/,
      ),
      fix: 'the server reads or writes times in another zone or format: check server.timeFormat ("iso-offset") and terminal.timeZone (Europe/Berlin); "iso-offset" avoids zone mix-ups if the server accepts it',
    });
    expect(server.deleted).toEqual(["entry-1", "entry-1", "entry-1"]);
  });

  it("fails, and still deletes, when the booked entry cannot be found again", async () => {
    const server = new MisreadingServer(0, false);
    expect(await writeTest(server)).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(
        'server.timeFormat "iso-offset": the test entry entry-1 was booked for 2026-10-23 03:00 +02:00, but reading that day back does not list it; test entry entry-1 deleted',
      ),
    });
    expect(server.entries.size).toBe(0);
  });

  it("passes a server that keeps the minute, with the first dialect tried", async () => {
    const server = new MisreadingServer(0);
    expect(await writeTest(server)).toMatchObject({
      status: "ok",
      finding: expect.stringMatching(/^the server took server.timeFormat "iso-offset": booked /),
    });
    expect(server.deleted).toEqual(["entry-1"]);
  });

  it("fails a server that books another time type than the one sent", async () => {
    const server = new MisreadingServer(0);
    const create = server.createTimeEntry.bind(server);
    server.createTimeEntry = (entry) => create({ ...entry, timeTypeId: "default-type" });
    const verdict = await writeTest(server);
    expect(verdict).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(
        'the test entry was sent with timetypeid "56941eee-86a7-4a8d-8af1-f78b0a688f32" but came back with the time type "default-type"',
      ),
    });
    expect(server.entries.size).toBe(0);
  });
});
