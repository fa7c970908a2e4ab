import { describe, expect, it } from "vitest";
import type { CannedAnswer } from "../../src/simulator/index.js";
import { daemonSite, shiftsOf, until } from "./daemon-site.js";

/**
 * An answer about the endpoint (a captive portal, a wrong URL, a redirect) is nobody's verdict on
 * an entry: the real daemon pauses booking, says why in `status`, parks nothing, and books every
 * entry exactly once when the endpoint answers again.
 */

type Fault = { failNext: number } | { answer: CannedAnswer };

const LOGIN_FAULTS: [string, Fault][] = [
  ["a captive portal's page (200 HTML)", { answer: { kind: "html" } }],
  ["404", { failNext: 404 }],
  ["a redirect to a portal", { answer: { kind: "redirect" } }],
];

describe("an answer about the endpoint, through the real daemon", () => {
  it.each(LOGIN_FAULTS)(
    "login answered with %s pauses the sync and parks no entry",
    async (_name, fault) => {
      const site = await daemonSite({ users: 3 });
      // Far more than the test lasts: the endpoint stays broken until the test clears it.
      if ("failNext" in fault) site.sim.faults.failNext(10_000, fault.failNext, { path: "login" });
      else site.sim.faults.answerNext(10_000, fault.answer, { path: "login" });
      const daemon = site.start();
      await daemon.waitFor((r) => r.msg === "terminal ready", "readiness");
      await shiftsOf(site, daemon);

      const status = async () =>
        JSON.parse((await site.cli("status", "--json")).stdout) as {
          sync: { phase: string; pauseReason?: string };
          attention: { severity: string; message: string }[];
        };
      // Either the pause (now) or a refusal (the old behaviour) shows within a few tries.
      await until(
        async () =>
          (await status()).sync.phase === "paused-endpoint" ||
          site.outbox().some((entry) => entry.state === "refused"),
        "the sync to pause or an entry to be parked",
      );
      expect(site.outbox().filter((entry) => entry.state === "refused")).toEqual([]);
      await until(
        () => site.sim.state.requests().filter((r) => r.path === "/api/login").length >= 3,
        "three tries of the login",
      );
      // Nothing was sent: the login failed first, so no entry is in doubt either.
      expect(site.outbox().map(({ state, ambiguous }) => ({ state, ambiguous }))).toEqual(
        Array(3).fill({ state: "pending", ambiguous: false }),
      );
      // Between two tries the sync is briefly "booking"; wait for the next pause.
      let paused = await status();
      await until(async () => {
        paused = await status();
        return paused.sync.phase === "paused-endpoint";
      }, "the sync paused again");
      expect(paused.sync.pauseReason).toMatch(/POST \/goodtime-rs\/api\/login/);
      const pauseLines = paused.attention.filter((a) => a.message.startsWith("booking is paused"));
      expect(pauseLines).toHaveLength(1);
      expect(pauseLines[0]?.severity).toBe("critical");
      let human = "";
      await until(async () => {
        human = (await site.cli("status")).stdout;
        return human.includes("paused-endpoint");
      }, "the human status of the pause");
      expect(human).toMatch(/^CRITICAL: booking is paused/m);
      expect(human).toContain("nothing is lost");

      site.sim.faults.clear();
      await until(
        () => site.outbox().every((entry) => entry.state === "booked"),
        "every entry booked once the endpoint answers again",
      );
      expect(
        site.sim.state
          .entries()
          .map((e) => e.userEmail)
          .sort(),
      ).toEqual(site.users.map((u) => u.email).sort());
      expect(daemon.records.some((r) => r.msg.includes("parked"))).toBe(false);
      await until(
        async () => (await status()).sync.phase === "idle",
        "the sync status back to idle",
      );
      expect(await daemon.stop("SIGTERM")).toMatchObject({ code: 0 });
    },
    60_000,
  );
});
