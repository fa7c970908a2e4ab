import type { IncomingMessage } from "node:http";
import { request } from "node:http";
import type pg from "pg";
import { expect } from "vitest";
import { type BenchUser, seedFor } from "../../bench/fixtures.js";
import { readSite } from "../../bench/site-checks.js";
import {
  type Door,
  type SiteDoors,
  type SiteDoorsOptions,
  startSiteDoors,
} from "../../bench/site-doors.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { openDatabase } from "../../src/store/database.js";
import { SiteJournal } from "../../src/store/site-journal.js";
import { until } from "../e2e/daemon-site.js";
import { tempDir } from "../helpers/temp.js";

/** Whether the door's own copy of the site says the user has a shift open. */
export function knows(door: Door, email: string): boolean {
  const db = openDatabase(door.dataDir, { logger: silentLogger(), check: false });
  try {
    return new SiteJournal(db, systemClock).userState(email).openShift !== null;
  } finally {
    db.close();
  }
}

/** Taps a badge at a door and checks what the door answered. */
export async function tapAt(door: Door, badgeId: string, outcome: string): Promise<void> {
  const daemon = door.daemon;
  if (!daemon) throw new Error(`${door.id} is not running`);
  const before = daemon.records.filter((r) => r.msg.startsWith("tap ")).length;
  door.tap(badgeId);
  await until(
    () => daemon.records.filter((r) => r.msg.startsWith("tap ")).length > before,
    `a tap at ${door.id}`,
  );
  const tap = daemon.records.filter((r) => r.msg.startsWith("tap ")).at(-1);
  if (tap?.outcome !== outcome) {
    // What the door was doing explains a wrong answer: cut off, catching up, a late site answer.
    const recent = daemon.records.slice(-12).map((r) => JSON.stringify(r));
    expect(
      tap?.outcome,
      `tap of ${badgeId} at ${door.id}; its last lines:\n${recent.join("\n")}`,
    ).toBe(outcome);
  }
}

/** The simulator's entries in the shape the site checks read. */
export function remoteEntries(sim: Simulator) {
  return sim.state.entries().map((e) => ({
    id: e.id,
    userEmail: e.userEmail,
    start: e.start,
    end: e.end,
  }));
}

/**
 * Waits until the server holds `count` entries and the site has the outcome of each booking: a
 * door commits "booked" only after the server's answer, so the server's count alone comes early.
 */
export async function untilBookedAtSite(
  sim: Simulator,
  db: pg.Client,
  count: number,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  await until(
    async () =>
      sim.state.entries().length >= count &&
      (await readSite(db)).entries.every(
        (entry) => entry.state !== "pending" && entry.state !== "sending",
      ),
    what,
    timeoutMs,
  );
}

/** What a door's kiosk page was sent: each screen's fragment, in order. */
export interface ScreenWatch {
  screens: string[];
  close(): void;
}

/** Follows a door's screen as the kiosk page does, through its event stream on loopback. */
export async function watchScreen(door: Door): Promise<ScreenWatch> {
  if (door.kioskPort === null) throw new Error(`${door.id} has no screen`);
  const stream = await new Promise<IncomingMessage>((done, fail) => {
    request({ host: "127.0.0.1", port: door.kioskPort, path: "/events" }, done)
      .on("error", fail)
      .end();
  });
  const screens: string[] = [];
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    rest += chunk;
    const messages = rest.split("\n\n");
    rest = messages.pop() ?? "";
    for (const message of messages) {
      const lines = message.split("\n");
      if (!lines.includes("event: screen")) continue;
      screens.push(
        lines
          .filter((line) => line.startsWith("data: "))
          .map((line) => line.slice("data: ".length))
          .join("\n"),
      );
    }
  });
  return { screens, close: () => stream.destroy() };
}

/** The hours a screen fragment shows under a label ("Shift", "Today", "This week"). */
export function shownHours(screen: string, label: string): string | undefined {
  return new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(screen)?.[1];
}

/**
 * Runs `work` with the simulator, seeded with `seedUsers` (by default the doors' users), and the
 * doors of one site on a fresh database; the doors and then the simulator are closed after it,
 * however it ended.
 */
export async function withSiteDoors<T>(
  options: Omit<SiteDoorsOptions, "root" | "sim"> & { seedUsers?: readonly BenchUser[] },
  work: (fixture: { site: SiteDoors; sim: Simulator }) => Promise<T>,
): Promise<T> {
  const { seedUsers, ...doors } = options;
  const sim = await startSimulator({ seed: seedFor(seedUsers ?? doors.users) });
  try {
    const site = await startSiteDoors({ ...doors, root: tempDir("timeclock-site-"), sim });
    try {
      return await work({ site, sim });
    } finally {
      await site.close();
    }
  } finally {
    await sim.close();
  }
}
