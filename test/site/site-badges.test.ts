import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import {
  type ScratchPostgres,
  SITE_ROLE_PASSWORD,
  startScratchPostgres,
} from "../../bench/postgres.js";
import type { Door } from "../../bench/site-doors.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { type SiteBadgeWriter, siteBadgeWriter } from "../../src/site/badges.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { consoleUnderTest } from "../console/harness.js";
import { until } from "../e2e/daemon-site.js";
import { runCaptured } from "../helpers/cli.js";
import { tapAt, withSiteDoors } from "./door-helpers.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

/** The email this door's own copy maps the badge to, or null. */
function localMapping(door: Door, badgeId: string): string | null {
  const db = openDatabase(door.dataDir, { logger: silentLogger(), check: false });
  try {
    const found = new BadgeRepository(db, systemClock).list().find((b) => b.badgeId === badgeId);
    return found?.email ?? null;
  } finally {
    db.close();
  }
}

function at(door: Door, ...argv: string[]) {
  return runCaptured([...argv, "--config", door.configPath], {
    env: { ...door.env, SUDO_USER: "site-admin" },
  });
}

it("a badge mapped or removed at one door is the site's: the other door takes it over LISTEN/NOTIFY, and with the database down nothing changes anywhere", async () => {
  const users = benchUsers(2, "badge", 0x13);
  const [anna, carl] = users as [(typeof users)[0], (typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users: [anna],
      doors: 2,
      seedUsers: users,
    },
    async ({ site }) => {
      // Only Anna is mapped in the site; Carl is known to GoodTime but not yet to any door.
      const [a, b] = site.doors as [Door, Door];
      try {
        await a.start();
        await b.start();
        await tapAt(a, carl.badgeId, "refused");

        const added = await at(
          b,
          "badges",
          "add",
          `0x${carl.badgeId}`,
          carl.email,
          "--name",
          "Carl",
        );
        expect(added.code, added.stderr).toBe(0);
        expect(localMapping(b, carl.badgeId)).toBe(carl.email);
        await until(
          () => localMapping(a, carl.badgeId) === carl.email,
          "door A to hear of Carl's badge",
        );
        await tapAt(a, carl.badgeId, "clock-in");
        const db = await postgres.superuser(site.database);
        const events = await db
          .query(
            "SELECT action, actor, terminal_id FROM timeclock.admin_events WHERE subject = $1",
            [carl.badgeId],
          )
          .finally(() => db.end());
        expect(events.rows).toEqual([
          { action: "badge.add", actor: "cli:site-admin", terminal_id: "door-b" },
        ]);

        const removed = await at(a, "badges", "remove", `0x${carl.badgeId}`);
        expect(removed.code, removed.stderr).toBe(0);
        await until(() => localMapping(b, carl.badgeId) === null, "door B to hear of the removal");
        await tapAt(b, carl.badgeId, "refused");

        await postgres.stop();
        const refused = await at(b, "badges", "add", `0x${carl.badgeId}`, carl.email);
        expect(refused.code).toBe(87);
        expect(refused.stderr).toMatch(
          /the site database timeclock@127\.0\.0\.1:\d+\/site\d+ does not answer/,
        );
        expect(refused.stderr).toContain("nothing was changed");
        expect(localMapping(b, carl.badgeId)).toBeNull();
      } finally {
        await postgres.start();
      }
    },
  );
}, 120_000);

it("the console's badge import at a door goes to the site's mapping, recorded as the console session", async () => {
  const users = benchUsers(1, "console", 0x14);
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 1,
    },
    async ({ site }) => {
      const [door] = site.doors as [Door];
      const writers: SiteBadgeWriter[] = [];
      try {
        const console = await consoleUnderTest({
          siteBadgeWriter: (db, clock) => {
            const writer = siteBadgeWriter({
              config: {
                database: site.url,
                terminalId: door.id,
                tapTimeoutMs: 500,
                leaseSeconds: 120,
              },
              password: SITE_ROLE_PASSWORD,
              db,
              clock,
              logger: silentLogger(),
              applicationName: "timeclock console test",
            });
            writers.push(writer);
            return writer;
          },
        });
        await console.login();
        const page = await console.request("GET", "/badges");
        const form = new FormData();
        form.set("_csrf", console.csrf(page.body));
        form.set(
          "file",
          new Blob([
            "badge,email,name,timeTypeId,projectId\r\n0F00A1B2C3,dora@example.com,Dora,,\r\n",
          ]),
          "badges.csv",
        );
        const imported = await console.request("POST", "/badges/import", form);
        expect(imported.status).toBe(303);
        const after = await console.request("GET", "/badges");
        expect(after.body).toContain("dora@example.com");
        const db = await postgres.superuser(site.database);
        try {
          const badges = await db.query(
            "SELECT email FROM timeclock.badges WHERE badge_id = '0F00A1B2C3'",
          );
          expect(badges.rows).toEqual([{ email: "dora@example.com" }]);
          const events = await db.query(
            "SELECT action, actor FROM timeclock.admin_events WHERE subject = '0F00A1B2C3'",
          );
          expect(events.rows).toEqual([
            { action: "badge.add", actor: expect.stringMatching(/^console:127\.0\.0\.1#/) },
          ]);
        } finally {
          await db.end();
        }
      } finally {
        for (const writer of writers) await writer.close();
      }
    },
  );
}, 60_000);
