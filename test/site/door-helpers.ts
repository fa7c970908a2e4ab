import type pg from "pg";
import { expect } from "vitest";
import { readSite } from "../../bench/site-checks.js";
import type { Door } from "../../bench/site-doors.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { Simulator } from "../../src/simulator/index.js";
import { openDatabase } from "../../src/store/database.js";
import { SiteJournal } from "../../src/store/site-journal.js";
import { until } from "../e2e/daemon-site.js";

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
