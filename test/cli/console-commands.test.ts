import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { SEED_USERS } from "../../src/simulator/index.js";
import { terminalSite } from "../helpers/terminal-site.js";

/** The CLI twins of the console: the password it logs in with, and enrolment by tapping. */

describe("timeclock console password", () => {
  it("reads the password from standard input and never takes it as an argument", async () => {
    const site = await terminalSite();
    const refused = await site.cli("console", "password", "secret-on-the-command-line");
    expect(refused.code).toBe(ExitCode.usage);
    expect(refused.stderr).toContain("too many arguments");
    const short = await site.cliWithInput("short\n", "console", "password");
    expect(short.code).toBe(ExitCode.usage);
    expect(short.stderr).toContain("use at least 10");
    const set = await site.cliWithInput("correct horse battery staple\n", "console", "password");
    expect(set).toMatchObject({
      code: 0,
      stdout: "console password set; log in at the console's address (see README: Web console)\n",
    });
    const again = await site.cliWithInput("correct horse battery staple\n", "console", "password");
    expect(again.stdout).toContain("changed");
    const audit = await site.cli("audit", "--json");
    expect(
      JSON.parse(audit.stdout).map((event: { action: string; actor: string }) => event.action),
    ).toEqual(["console.password.set", "console.password.change"]);
    expect(audit.stdout).not.toContain("correct horse");
  });
});

describe("timeclock badges enrol", () => {
  it("maps the next badge tapped at the reader, which is not journalled, and books that person's taps after it", async () => {
    const site = await terminalSite();
    const run = await site.start();
    const enrolling = site.cli("badges", "enrol", SEED_USERS.deniz, "--name", "Deniz Kaya");
    await run.waitFor(
      "the arming",
      (line) => line.msg === "enrolment armed: the next badge read is captured, not journalled",
    );
    run.type("0C0000C0DE\n");
    const enrolled = await enrolling;
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout).toBe(`enrolled badge 0C0000C0DE -> ${SEED_USERS.deniz}\n`);
    expect(enrolled.stderr).toMatch(
      /^tap the badge for deniz\.kaya@gtsandbox\.en at the reader now/,
    );
    expect(
      run.lines.filter((line) => typeof line.msg === "string" && line.msg.startsWith("tap ")),
    ).toEqual([]);

    run.type("0C0000C0DE\n");
    await run.waitFor(
      "the clock-in",
      (line) => line.outcome === "clock-in" && line.user === SEED_USERS.deniz,
    );
    run.type("0C0000C0DE\n");
    await run.waitFor("the booking", (line) => line.msg === "entry booked");
    expect(site.sim.state.entries()).toMatchObject([{ userEmail: SEED_USERS.deniz }]);
    const audit = JSON.parse((await site.cli("audit", "--json")).stdout);
    expect(audit).toMatchObject([
      { action: "badge.add", subject: "0C0000C0DE", detail: { via: "enrol" } },
    ]);
    expect(audit[0].actor).toMatch(/^cli:/);
  });

  it("needs the running terminal, and says so", async () => {
    const site = await terminalSite();
    const answer = await site.cli("badges", "enrol", SEED_USERS.deniz);
    expect(answer.code).toBe(ExitCode.terminalUnreachable);
    expect(answer.stderr).toContain("enrolment needs the running terminal and its reader");
  });
});
