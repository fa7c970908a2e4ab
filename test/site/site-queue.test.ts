import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import type { Door } from "../../bench/site-doors.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { until } from "../e2e/daemon-site.js";
import { runCliProcess } from "../helpers/cli-process.js";
import { tapAt, withSiteDoors } from "./door-helpers.js";

/**
 * In site mode the entries live in the site database: `queue`, `review` and `export` at any door
 * (the CLI as its own process) show and fix them there, never the door's empty journal, keep the
 * exactly-once marks, leave an entry a door's sync holds alone, and fail naming the database
 * when it is down.
 */

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

function at(door: Door, ...argv: string[]) {
  return runCliProcess([...argv, "--config", door.configPath], door.env);
}

interface EntryRow {
  id: string;
  state: string;
  email: string;
  ambiguous: boolean;
  sent_as: { userEmail: string } | null;
  attempts: number;
}

it("queue list, edit, retry and discard and export at one door work on the entries another door made, and fail with exit 87 when the site database is down", async () => {
  const users = benchUsers(3, "queue", 0x13);
  const [anna, ghost, carol] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
  // GoodTime knows Anna and Carol only: the ghost's shifts are refused for their user.
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 2,
      seedUsers: [anna, carol],
    },
    async ({ site, sim }) => {
      const [a, b] = site.doors as [Door, Door];
      const db = await postgres.superuser(site.database);
      const entry = async (id: string) =>
        (await db.query<EntryRow>("SELECT * FROM timeclock.entries WHERE id = $1", [id])).rows[0];
      try {
        await a.start();
        await b.start();
        for (const outcome of [
          "clock-in",
          "clock-out",
          "clock-in",
          "clock-out",
          "clock-in",
          "clock-out",
        ]) {
          await tapAt(a, ghost.badgeId, outcome);
        }
        let refused: { id: string; email: string; door: string; lastError: string }[] = [];
        let last = "";
        await until(
          async () => {
            const run = await at(b, "queue", "--state", "refused", "--json");
            last = `exit ${run.code}: ${run.stderr}`;
            refused = run.code === 0 ? JSON.parse(run.stdout) : [];
            return refused.length === 3;
          },
          "door B lists door A's three refused entries",
          120_000,
        ).catch((error: Error) => {
          throw new Error(`${error.message}; the last queue said ${last}`);
        });
        expect(refused.map((e) => [e.email, e.door])).toEqual([
          [ghost.email, "door-a"],
          [ghost.email, "door-a"],
          [ghost.email, "door-a"],
        ]);
        expect(refused[0]?.lastError).toContain("is not a user of this account");
        const [first, second, third] = refused.map((e) => e.id) as [string, string, string];
        const table = await at(b, "queue");
        expect(table.stdout).toContain(first);
        expect(table.stdout).toContain(ghost.email);

        // The doors stop booking, so that what the edit wrote can be looked at before it is booked.
        await a.daemon?.stop();
        await b.daemon?.stop();
        const before = await entry(first);
        expect(before?.sent_as?.userEmail).toBe(ghost.email);
        const edit = await at(b, "queue", "edit", first, "--email", anna.email);
        expect(edit.code, edit.stderr).toBe(0);
        expect(edit.stdout).toContain(`entry ${first} is pending, to be booked for ${anna.email}`);
        const after = await entry(first);
        expect(after).toMatchObject({ state: "pending", email: anna.email });
        // Contract 3: what may be on the server stays as it was.
        expect(after?.ambiguous).toBe(before?.ambiguous);
        expect(after?.sent_as).toEqual(before?.sent_as);

        // The second entry is claimed by a door's sync (as `due` leaves it): hands off.
        await db.query(
          `UPDATE timeclock.entries SET state = 'pending', claimed_by = 'door-z',
           lease_until = now() + interval '1 hour' WHERE id = $1`,
          [second],
        );
        const held = await at(b, "queue", "discard", second, "--reason", "not an employee");
        expect(held.code).toBe(ExitCode.conflict);
        expect(held.stderr).toContain(`is being booked by door "door-z" right now`);
        const heldEdit = await at(b, "queue", "edit", second, "--email", anna.email);
        expect(heldEdit.code).toBe(ExitCode.conflict);
        expect((await entry(second))?.email).toBe(ghost.email);
        await db.query(
          "UPDATE timeclock.entries SET lease_until = now() - interval '1 second' WHERE id = $1",
          [second],
        );
        const discarded = await at(b, "queue", "discard", second, "--reason", "not an employee");
        expect(discarded.code, discarded.stderr).toBe(0);
        expect((await entry(second))?.state).toBe("discarded");

        // The badge was Carol's all along: mapped again at door B, a retry books the site's mapping.
        const remap = await at(b, "badges", "edit", `0x${ghost.badgeId}`, "--email", carol.email);
        expect(remap.code, remap.stderr).toBe(0);
        const retried = await at(b, "queue", "retry", third);
        expect(retried.code, retried.stderr).toBe(0);
        expect(retried.stdout).toContain(
          `${third}: booked as now mapped: email ${ghost.email} -> ${carol.email}`,
        );
        expect(await entry(third)).toMatchObject({ state: "pending", email: carol.email });

        const events = await db.query<{ action: string; subject: string; terminal_id: string }>(
          "SELECT action, subject, terminal_id FROM timeclock.admin_events WHERE action LIKE 'entry.%' ORDER BY id",
        );
        expect(events.rows).toEqual([
          { action: "entry.edit", subject: first, terminal_id: "door-b" },
          { action: "entry.discard", subject: second, terminal_id: "door-b" },
          { action: "entry.retry", subject: third, terminal_id: "door-b" },
        ]);

        // Door A books the edited entry for Anna, once.
        await a.start();
        await until(
          async () =>
            (await entry(first))?.state === "booked" && (await entry(third))?.state === "booked",
          "the edited and the retried entry booked",
          60_000,
        );
        const booked = sim.state.entries();
        expect(booked.map((e) => e.userEmail).sort()).toEqual([anna.email, carol.email].sort());

        const day = new Date().toISOString().slice(0, 10);
        const csv = await at(b, "export", "--from", day, "--to", day);
        expect(csv.code, csv.stderr).toBe(0);
        const taps = csv.stdout.split("\r\n").filter((line) => /^door-a\/\d+,/.test(line));
        expect(taps.map((line) => line.split(",")[5])).toEqual([
          "clock-in",
          "clock-out",
          "clock-in",
          "clock-out",
          "clock-in",
          "clock-out",
        ]);
        expect(csv.stdout).toContain(first);
        expect(csv.stdout).toMatch(new RegExp(`${second},${ghost.email}.*,discarded,`));

        await a.daemon?.stop();
        await db.end();
        await postgres.stop();
        const named = /the site database timeclock@127\.0\.0\.1:\d+\/site\d+ does not answer/;
        for (const argv of [["queue"], ["review"], ["export", "--from", day, "--to", day]]) {
          const down = await at(b, ...argv);
          expect(down.code, `${argv[0]} with the site database down`).toBe(
            ExitCode.siteUnreachable,
          );
          expect(down.stderr).toMatch(named);
          expect(down.stdout).toBe("");
        }
      } finally {
        await postgres.start();
        await db.end().catch(() => undefined);
      }
    },
  );
}, 240_000);
