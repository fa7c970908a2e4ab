import { describe, expect, it } from "vitest";
import { daemonSite, shiftsOf, until } from "./daemon-site.js";

/**
 * A 2xx to createtimeentry whose body cannot be read may mean the entry was booked. Through the
 * real daemon: the entry stays queued and ambiguous, an admin's retry cannot send it blind, and
 * after a restart the lookup adopts what GoodTime holds: exactly one entry.
 */
describe("a booking answered with an unreadable 2xx", () => {
  it.each([
    ["garbage", { kind: "garbage" }],
    ["a web page", { kind: "html" }],
    ["a huge body", { kind: "huge", bytes: 4 * 1024 * 1024 }],
  ] as const)(
    "(%s) is looked up before anything is sent again, across retry and restart",
    async (_name, answer) => {
      const site = await daemonSite({ users: 1 });
      const [user] = site.users;
      // GoodTime stores the entry, and what comes back cannot be read.
      site.sim.faults.answerNext(1, answer, { path: "createtimeentry", when: "after-commit" });
      // Then the lookups fail, so the entry stays in doubt while the admin and the restart act.
      site.sim.faults.answerNext(10_000, { kind: "html" }, { path: "timeentries" });
      const first = site.start();
      await first.waitFor((r) => r.msg === "terminal ready", "readiness");
      await shiftsOf(site, first);
      await until(
        () =>
          site.sim.state.requests().some((r) => r.path.endsWith("/timeentries")) ||
          site.outbox()[0]?.state === "refused",
        "a lookup (or, before the fix, a refusal)",
      );
      expect(site.outbox()[0]).toMatchObject({ state: "pending", ambiguous: true, serverId: null });
      expect(await first.stop("SIGTERM")).toMatchObject({ code: 0 });

      const retried = await site.cli("retry", "--all-refused");
      expect(retried.stdout).toBe("0 entries put back in line to be booked\n");
      const queued = JSON.parse((await site.cli("queue", "--json")).stdout) as {
        ambiguous: boolean;
        sentAs: { userEmail: string } | null;
      }[];
      expect(queued).toMatchObject([{ ambiguous: true, sentAs: { userEmail: user?.email } }]);

      site.sim.faults.clear();
      const second = site.start();
      await until(
        () => site.outbox()[0]?.state === "booked",
        "the entry settled after the restart",
      );
      const remote = site.sim.state.entries();
      expect(remote).toHaveLength(1);
      expect(site.outbox()[0]).toMatchObject({ serverId: remote[0]?.id, ambiguous: false });
      await second.waitFor(
        (r) => r.msg.startsWith("entry was already on the server"),
        "the adoption of the booked entry",
      );
      expect(
        site.sim.state.requests().filter((r) => r.path.endsWith("/createtimeentry")),
      ).toHaveLength(1);
    },
    60_000,
  );
});
