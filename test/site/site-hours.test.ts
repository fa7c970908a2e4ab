import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import type { HoursSource, PersonShifts } from "../../src/display/hours-source.js";
import { siteHoursSource } from "../../src/site/hours.js";
import { closedPort } from "../helpers/net.js";

/**
 * When the site database does not answer, the screen's hours come from the door's journal: at
 * once when nothing listens, after the timeout when the database accepts and then says nothing
 * (a broken network). Each spell of silence is logged once, naming the database.
 */

const JOURNAL: PersonShifts = {
  entries: [
    {
      id: "from-the-journal",
      start: new Date("2026-03-09T07:00:00Z"),
      end: new Date("2026-03-09T15:00:00Z"),
      rounding: null,
      state: "pending",
    },
  ],
  openStart: null,
  entry: undefined,
};

const QUERY = {
  email: "anna@example.com",
  from: new Date("2026-03-09T00:00:00Z"),
  to: new Date("2026-03-16T00:00:00Z"),
  entryId: null,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function hours(port: number, lines: string[]) {
  let asked = 0;
  const fallback: HoursSource = {
    shifts: async () => {
      asked++;
      return JOURNAL;
    },
  };
  const logger = createLogger(
    { level: "info", redactBadges: true },
    { write: (line: string) => void lines.push(line) },
  );
  const site = siteHoursSource({
    config: {
      database: `postgres://timeclock@127.0.0.1:${port}/site`,
      terminalId: "door-a",
      tapTimeoutMs: 500,
      leaseSeconds: 120,
    },
    password: "not-a-real-one",
    logger,
    applicationName: "timeclock door-a screen",
    fallback,
    timeoutMs: 200,
  });
  closers.push(() => site.close());
  return { source: site.source, asked: () => asked };
}

describe("the screen's hours in site mode", () => {
  it("counts the door's journal when nothing listens at the database's address", async () => {
    const lines: string[] = [];
    const { source, asked } = hours(await closedPort(), lines);
    expect(await source.shifts(QUERY)).toEqual(JOURNAL);
    expect(await source.shifts(QUERY)).toEqual(JOURNAL);
    expect(asked()).toBe(2);
    const warnings = lines.filter((line) => line.includes("does not answer"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("timeclock@127.0.0.1");
    expect(lines.join("")).not.toContain("not-a-real-one");
  });

  it("gives up after its timeout on a database that accepts and never answers", async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => void held.push(socket));
    await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done));
    closers.push(
      () =>
        new Promise<void>((done) => {
          for (const socket of held) socket.destroy();
          silent.close(() => done());
        }),
    );
    const lines: string[] = [];
    const { source, asked } = hours((silent.address() as { port: number }).port, lines);
    expect(await source.shifts(QUERY)).toEqual(JOURNAL);
    expect(asked()).toBe(1);
    expect(held.length).toBeGreaterThan(0);
    expect(lines.join("")).toContain("no answer within 200 ms");
  });
});
