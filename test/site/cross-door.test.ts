import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { unitNodeFlags } from "../../bench/unit-flags.js";
import { until } from "../e2e/daemon-site.js";
import { withSiteDoors } from "./door-helpers.js";

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

// The doors run under the installed unit's Node flags: V8's lite mode has no WebAssembly, and the
// PostgreSQL client's load-time probe used to end a site door there before "ready".
it("pairs a clock-in at one door with a clock-out at another into one booked shift, each door under the unit's Node flags", async () => {
  const users = benchUsers(2, "cross", 0x0e);
  await withSiteDoors(
    {
      postgres,
      users,
      doors: 3,
      nodeOptions: unitNodeFlags(),
    },
    async ({ site, sim }) => {
      const [a, b] = site.doors;
      if (!a || !b) throw new Error("two doors");
      const daemonA = await a.start();
      const daemonB = await b.start();
      a.tap(users[0]?.badgeId ?? "");
      await daemonA.waitFor((r) => r.outcome === "clock-in", "clock-in at A");
      b.tap(users[0]?.badgeId ?? "");
      const out = await daemonB.waitFor((r) => r.msg.startsWith("tap "), "the tap at B");
      expect(out.outcome).toBe("clock-out");
      await until(() => sim.state.entries().length === 1, "the shift booked");
      expect(sim.state.entries()[0]?.userEmail).toBe(users[0]?.email);
    },
  );
}, 60_000);
