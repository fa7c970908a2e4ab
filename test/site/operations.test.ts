import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers, daemonConfig } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import type { Door } from "../../bench/site-doors.js";
import { until } from "../e2e/daemon-site.js";
import { runCaptured } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";
import { tapAt, withSiteDoors } from "./door-helpers.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

function at(door: Door, ...argv: string[]) {
  return runCaptured([...argv, "--config", door.configPath], { env: door.env });
}

async function siteDoctor(door: Door) {
  const run = await at(door, "doctor", "--json");
  const results = JSON.parse(run.stdout) as { check: string; status: string; finding: string }[];
  return results.find((result) => result.check === "site database");
}

it("site status, status and doctor show the site from any door: doors, last contact, backlog, and a database that is down", async () => {
  const users = benchUsers(1, "ops", 0x12);
  const [anna] = users as [(typeof users)[0]];
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 2,
    },
    async ({ site, sim }) => {
      const [a, b] = site.doors as [Door, Door];
      try {
        await a.start();
        await tapAt(a, anna.badgeId, "clock-in");
        await tapAt(a, anna.badgeId, "clock-out");
        await until(() => sim.state.entries().length === 1, "the shift booked");
        await until(
          async () => (await at(a, "site", "status")).stdout.includes("1 booked"),
          "the booking in site status",
        );

        const fine = await at(a, "site", "status");
        expect(fine.code, fine.stderr).toBe(0);
        expect(fine.stdout).toContain("door-a (this)");
        expect(fine.stdout).toMatch(/site backlog: 0 to book .* 1 booked, 0 review\(s\) open/);
        const json = JSON.parse((await at(a, "site", "status", "--json")).stdout);
        expect(json.level).toBe("ok");
        expect(json.terminals.map((t: { id: string }) => t.id)).toEqual(["door-a"]);

        const local = await at(a, "status");
        expect(local.stdout).toMatch(/site\s+door door-a, database answers; last contact/);

        const doctor = await siteDoctor(a);
        expect(doctor?.status).toBe("ok");
        expect(doctor?.finding).toMatch(
          /answers \(PostgreSQL \d+.*role timeclock, no TLS\), schema \d+, 1 door\(s\) known/,
        );

        // Door B's config has never run: any door sees the whole site, and B hears it is missing.
        const fromB = await at(b, "site", "status");
        expect(fromB.code).toBe(1);
        expect(fromB.stdout).toContain("this door (door-b) has never reached the site database");
        expect(fromB.stdout).toContain("door-a");

        await a.daemon?.stop();
        const db = await postgres.superuser(site.database);
        try {
          await db.query(
            "UPDATE timeclock.terminals SET last_contact = now() - interval '10 minutes' WHERE id = 'door-a'",
          );
        } finally {
          await db.end();
        }
        const silent = await at(a, "site", "status");
        expect(silent.code).toBe(1);
        expect(silent.stdout).toContain("door door-a has not been in contact for 10 min");

        await postgres.stop();
        const down = await at(a, "site", "status");
        expect(down.code).toBe(2);
        expect(down.stderr).toMatch(
          /the site database timeclock@127\.0\.0\.1:\d+\/site\d+ does not answer/,
        );
        expect(down.stderr).not.toContain("Pässwörd");
        const doctorDown = await siteDoctor(a);
        expect(doctorDown?.status).toBe("fail");
      } finally {
        await postgres.start();
      }
    },
  );
}, 120_000);

it("site status refuses a lone terminal's config with the way to join a site", async () => {
  const dir = tempDir("timeclock-lone-");
  const path = join(dir, "config.json");
  writeFileSync(
    path,
    JSON.stringify(
      daemonConfig({
        dataDir: join(dir, "data"),
        serverUrl: "http://127.0.0.1:9/goodtime-rs",
        reader: { type: "stdin" },
        concurrency: 1,
      }),
    ),
  );
  const run = await runCaptured(["site", "status", "--config", path]);
  expect(run.code).toBe(64);
  expect(run.stderr).toContain("has no site section: this terminal runs alone");
});
