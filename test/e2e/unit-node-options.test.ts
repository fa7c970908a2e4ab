import { describe, expect, it } from "vitest";
import { unitNodeFlags } from "../../bench/unit-flags.js";
import { daemonSite, shiftsOf, until } from "./daemon-site.js";

/**
 * The daemon as systemd runs it, with the unit's V8 options (lite mode: no WebAssembly). A module
 * that touches Node's fetch globals at load (pg does) ends such a process, so a lone terminal
 * must start, take taps and book under them.
 */
describe("the daemon under timeclock.service's Node options", () => {
  it("starts, journals a shift and books it", async () => {
    const flags = unitNodeFlags();
    expect(flags).toContain("--lite-mode");
    const site = await daemonSite({ users: 1 });
    const daemon = site.start(flags);
    await daemon.waitFor((r) => r.msg === "terminal ready", "readiness");
    await shiftsOf(site, daemon);
    await until(() => site.outbox()[0]?.state === "booked", "the shift booked");
    expect(site.sim.state.entries()).toHaveLength(1);
    expect(await daemon.stop("SIGTERM")).toMatchObject({ code: 0 });
  }, 60_000);
});
