import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { acceptedSiteTaps, readSite, siteProblems } from "../../bench/site-checks.js";
import type { Door } from "../../bench/site-doors.js";
import { until } from "../e2e/daemon-site.js";
import { remoteEntries, tapAt, untilBookedAtSite, withSiteDoors } from "./door-helpers.js";

/**
 * docs/site.md backs the site database up with `pg_dump --format=custom` and restores it with
 * `pg_restore` into a database made as the guide says, without the schema. After that, on a fresh
 * cluster, a door carries on: the shift open at the backup closes, nothing booked before is
 * booked again, and every tap from both sides of the move is in the restored database.
 */

let source: ScratchPostgres;
let target: ScratchPostgres;
beforeAll(async () => {
  source = await startScratchPostgres();
  target = await startScratchPostgres();
}, 120_000);
afterAll(async () => {
  await source?.close();
  await target?.close();
});

it("a site database dumped with pg_dump and restored into a fresh cluster keeps a door working", async () => {
  const users = benchUsers(3, "backup", 0x15);
  const [anna, ben, carl] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
  await withSiteDoors(
    {
      postgres: source,
      users,
      doors: 1,
    },
    async ({ site, sim }) => {
      const [door] = site.doors as [Door];
      try {
        const before = await door.start();
        await tapAt(door, anna.badgeId, "clock-in");
        await tapAt(door, anna.badgeId, "clock-out");
        await until(() => sim.state.entries().length === 1, "Anna's first shift booked", 60_000);
        await tapAt(door, carl.badgeId, "clock-in");
        // The door is stopped while the database moves, as the guide says.
        await before.stop();

        const file = join(source.socketDir, "timeclock.dump");
        await source.dump(site.database, file);
        await target.createSiteDatabase(site.database, { schema: false });
        await target.restore(site.database, file);
        await source.stop();

        const config = JSON.parse(readFileSync(door.configPath, "utf8"));
        config.site.database = target.siteUrl(site.database);
        writeFileSync(door.configPath, JSON.stringify(config));
        const after = await door.start();
        // Carl's shift, open at the backup, closes on the restored database.
        await tapAt(door, carl.badgeId, "clock-out");
        await tapAt(door, ben.badgeId, "clock-in");
        await tapAt(door, ben.badgeId, "clock-out");
        const db = await target.superuser(site.database);
        try {
          await untilBookedAtSite(sim, db, 3, "the shifts after the restore");
          const snapshot = await readSite(db);
          const accepted = acceptedSiteTaps(door.id, [...before.records, ...after.records]);
          expect(accepted).toHaveLength(6);
          expect(siteProblems(snapshot, accepted, remoteEntries(sim), true)).toEqual([]);
          expect(snapshot.reviews).toEqual([]);
        } finally {
          await db.end();
        }
        expect(
          sim.state
            .entries()
            .map((entry) => entry.userEmail)
            .sort(),
        ).toEqual([anna.email, ben.email, carl.email]);
      } finally {
        await source.start();
      }
    },
  );
}, 240_000);
