import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DaemonProcess } from "../../bench/daemon-process.js";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { acceptedSiteTaps, readSite, siteProblems } from "../../bench/site-checks.js";
import type { Door } from "../../bench/site-doors.js";
import { until } from "../e2e/daemon-site.js";
import { knows, remoteEntries, tapAt, untilBookedAtSite, withSiteDoors } from "./door-helpers.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

/** Every daemon a door ever ran, so that a killed one's accepted taps still count. */
function runs(doors: readonly Door[]) {
  const all: { door: string; daemon: DaemonProcess }[] = [];
  return {
    async start(door: Door) {
      const daemon = await door.start();
      all.push({ door: door.id, daemon });
      return daemon;
    },
    /** Which doors logged that they booked (or found booked) the entry. */
    bookedBy: (entryId: string) =>
      all
        .filter((run) =>
          run.daemon.records.some(
            (r) =>
              r.entryId === entryId &&
              (r.msg === "entry booked" || r.msg.startsWith("entry was already on the server")),
          ),
        )
        .map((run) => run.door),
    accepted: () => all.flatMap((run) => acceptedSiteTaps(run.door, run.daemon.records)),
    alive: () =>
      doors.filter((door) => door.daemon?.child.exitCode === null && !door.daemon.child.signalCode),
  };
}

/** What the site and each door were doing, for a failure message that explains a stalled wait. */
async function siteState(db: pg.Client, doors: readonly Door[]): Promise<string> {
  const entries = await db.query(
    "SELECT id, email, state, ambiguous, claimed_by, lease_until FROM timeclock.entries",
  );
  const logs = doors.map(
    (door) =>
      `${door.id}: ${(door.daemon?.records ?? [])
        .slice(-16)
        .map(
          (r) =>
            `${r.msg}${r.email ? ` ${String(r.email)}` : ""}${r.outcome ? ` ${String(r.outcome)}` : ""}`,
        )
        .join(" | ")}`,
  );
  const taps = await db.query(
    "SELECT terminal_id, tap_id, email, outcome, provisional, merge, wall_at FROM timeclock.taps ORDER BY wall_at",
  );
  const reviews = await db.query("SELECT email, reason FROM timeclock.reviews");
  return `site entries ${JSON.stringify(entries.rows)}; taps ${JSON.stringify(taps.rows)}; reviews ${JSON.stringify(reviews.rows)}; last log lines ${logs.join("; ")}`;
}

/** A door that holds a live claim on entries it is sending (or looking up) right now, and those. */
async function doorMidBooking(
  db: pg.Client,
  among: readonly Door[],
): Promise<{ door: Door; entryIds: string[] } | undefined> {
  const rows = await db.query<{ id: string; claimed_by: string }>(
    `SELECT id, claimed_by FROM timeclock.entries
      WHERE state = 'sending' AND claimed_by IS NOT NULL AND lease_until > now()`,
  );
  const door = among.find((candidate) => rows.rows.some((row) => row.claimed_by === candidate.id));
  if (!door) return undefined;
  return {
    door,
    entryIds: rows.rows.filter((row) => row.claimed_by === door.id).map((row) => row.id),
  };
}

it("terminals killed with SIGKILL mid-booking leave their claims to the others after the lease; every entry is booked exactly once", async () => {
  const users = benchUsers(6, "kill", 0x10);
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 3,
      leaseSeconds: 5,
    },
    async ({ site, sim }) => {
      const db = await postgres.superuser(site.database);
      const doors = site.doors;
      const daemons = runs(doors);
      try {
        for (const door of doors) await daemons.start(door);
        for (const [i, user] of users.entries()) {
          await tapAt(doors[i % 3] as Door, user.badgeId, "clock-in");
        }
        // Each request now takes long enough for a door to die in the middle of it.
        sim.faults.setLatency(1500);
        for (const [i, user] of users.entries()) {
          await tapAt(doors[(i + 1) % 3] as Door, user.badgeId, "clock-out");
        }
        const killed: { door: Door; entryIds: string[] }[] = [];
        for (let kill = 0; kill < 2; kill++) {
          let victim: Awaited<ReturnType<typeof doorMidBooking>>;
          await until(
            async () => {
              victim = await doorMidBooking(db, daemons.alive());
              return victim !== undefined;
            },
            `a door mid-booking (kill ${kill + 1})`,
          );
          if (!victim) throw new Error("no door mid-booking");
          await victim.door.daemon?.stop("SIGKILL");
          killed.push(victim);
        }
        expect(daemons.alive()).toHaveLength(1);
        // The one door left takes the dead doors' claims over once their leases ran out.
        await until(
          () => sim.state.entries().length >= users.length,
          "every shift booked",
          90_000,
        ).catch(async (error: unknown) => {
          throw new Error(`${String(error)}; ${await siteState(db, doors)}`);
        });
        sim.faults.setLatency(0);
        for (const victim of killed) await daemons.start(victim.door);
        await until(async () => {
          const snapshot = await readSite(db);
          return snapshot.entries.every((entry) => entry.state === "booked");
        }, "every site entry booked");
        const snapshot = await readSite(db);
        expect(snapshot.entries).toHaveLength(users.length);
        expect(new Set(sim.state.entries().map((entry) => entry.userEmail))).toEqual(
          new Set(users.map((user) => user.email)),
        );
        // What each killed door was in the middle of was finished by a door still alive.
        for (const victim of killed) {
          for (const id of victim.entryIds) {
            const by = daemons.bookedBy(id);
            expect(by, `entry ${id}, claimed by ${victim.door.id} when it was killed`).toHaveLength(
              1,
            );
            expect(by[0]).not.toBe(victim.door.id);
          }
        }
        const accepted = daemons.accepted();
        expect(accepted).toHaveLength(users.length * 2);
        expect(siteProblems(snapshot, accepted, remoteEntries(sim), true)).toEqual([]);
      } finally {
        await db.end();
      }
    },
  );
}, 180_000);

it("taps while PostgreSQL is down and restarted are paired at the doors, merged when it answers, and booked once", async () => {
  const users = benchUsers(3, "restart", 0x11);
  const [anna, ben, carl] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 3,
      // The steps need each online tap paired at the site in time, also on a loaded machine; a door
      // cut off (its gate resets the connections) or PostgreSQL stopped fails at once, not by timing out.
      tapTimeoutMs: 3000,
    },
    async ({ site, sim }) => {
      const doors = site.doors as [Door, Door, Door];
      const [a, b, c] = doors;
      const daemons = runs(doors);
      try {
        for (const door of doors) await daemons.start(door);
        await tapAt(a, anna.badgeId, "clock-in");
        await until(() => knows(b, anna.email), "B to hear of Anna's clock-in");
        // As after a power cut at the server: no clean shutdown, recovery at the next start.
        await postgres.stop("immediate");
        await tapAt(b, anna.badgeId, "clock-out");
        await tapAt(c, ben.badgeId, "clock-in");
        await tapAt(c, ben.badgeId, "clock-out");
        await tapAt(a, carl.badgeId, "clock-in");
        await postgres.start();
        for (const door of doors) {
          await door.daemon?.waitFor(
            (r) => r.msg.startsWith("merged taps paired while cut off"),
            `the merge at ${door.id}`,
            30_000,
          );
        }
        await tapAt(b, carl.badgeId, "clock-out");
        const db = await postgres.superuser(site.database);
        try {
          await untilBookedAtSite(sim, db, 3, "three shifts booked", 90_000).catch(
            async (error: unknown) => {
              throw new Error(`${String(error)}; ${await siteState(db, doors)}`);
            },
          );
          const snapshot = await readSite(db);
          const state = await siteState(db, doors);
          expect(snapshot.reviews, state).toEqual([]);
          expect(snapshot.taps.filter((tap) => tap.provisional)).toHaveLength(4);
          const accepted = daemons.accepted();
          expect(accepted).toHaveLength(6);
          expect(siteProblems(snapshot, accepted, remoteEntries(sim), true)).toEqual([]);
        } finally {
          await db.end();
        }
      } finally {
        await postgres.start();
      }
    },
  );
}, 120_000);
