import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { SEED_PROJECTS, SEED_USERS } from "../../src/simulator/index.js";
import { terminalSite } from "../helpers/terminal-site.js";

/**
 * Admin work against the real daemon: `timeclock run` as a process with the stdin reader, the
 * simulator on loopback, and the real CLI on the same configuration.
 */

const ANNA = "0F00A1B2C3";

describe("admin commands and the running terminal", () => {
  it("books a refused entry retried by the CLI at once, with the badge's mapping as it is now", async () => {
    const site = await terminalSite();
    // Anna's badge names a project she is not assigned to: GoodTime refuses the entry.
    site.mapBadges([
      {
        badgeId: ANNA,
        knownBits: 40,
        email: SEED_USERS.anna,
        projectId: SEED_PROJECTS.workshop.id,
      },
    ]);
    const run = await site.start();
    run.type(`${ANNA}\n`);
    await run.waitFor("the clock-in", (line) => line.outcome === "clock-in");
    run.type(`${ANNA}\n`);
    const refusal = await run.waitFor(
      "the refusal",
      (line) => line.msg === "server refused the entry; parked for an admin",
    );
    const entryId = String(refusal.entryId);
    expect(site.sim.state.entries()).toEqual([]);

    const fixed = await site.cli(
      "badges",
      "add",
      ANNA,
      SEED_USERS.anna,
      "--project",
      SEED_PROJECTS.warehouse.id,
    );
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain("terminal: the next tap reads the new mapping");
    const retry = await site.cli("queue", "retry", entryId);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(
      `projectId ${SEED_PROJECTS.workshop.id} -> ${SEED_PROJECTS.warehouse.id}`,
    );
    expect(retry.stderr).toContain("terminal: the terminal looks for entries to book now");

    const booked = await run.waitFor("the booking", (line) => line.msg === "entry booked");
    expect(booked.entryId).toBe(entryId);
    expect(site.sim.state.entries()).toMatchObject([
      { userEmail: SEED_USERS.anna, projectId: SEED_PROJECTS.warehouse.id },
    ]);
    // Cause and effect in the daemon's own log: nothing was tried between the refusal and the
    // admin's message (the sync's next own wake-up is ten minutes away), then it was booked.
    const lines = run.lines;
    const at = (predicate: (line: (typeof lines)[number]) => boolean) => lines.findIndex(predicate);
    const refusedAt = at((line) => line.msg === refusal.msg);
    const toldAt = at((line) => line.part === "control" && line.action === "retry");
    const bookedAt = at((line) => line.msg === "entry booked");
    expect(refusedAt).toBeGreaterThanOrEqual(0);
    expect(toldAt).toBeGreaterThan(refusedAt);
    expect(bookedAt).toBeGreaterThan(toldAt);
    expect(
      lines
        .slice(refusedAt + 1, toldAt)
        .filter((line) => line.part === "sync" || line.part === "goodtime"),
    ).toEqual([]);
  });

  it("shows the sync phase from the first second and names unknown badges tapped since the last look", async () => {
    const site = await terminalSite();
    const run = await site.start();
    const first = await site.cli("status", "--json");
    expect(first.code).toBe(ExitCode.ok);
    const json = JSON.parse(first.stdout);
    expect(json).toMatchObject({ level: "ok", attention: [], sync: { phase: "idle" } });
    expect(json.daemon.running).toBe(true);

    run.type("0E0000AAAA\n");
    await run.waitFor("the refused tap", (line) => line.msg === "tap refused");
    const warned = await site.cli("status");
    expect(warned.code).toBe(ExitCode.warning);
    expect(warned.stdout).toMatch(/^WARNING: 1 unknown badge was tapped and refused: 0E0000AAAA/);
    expect(warned.stdout.split("\n").filter((line) => line.length > 80)).toEqual([]);
    expect(warned.stdout).toMatch(/\nsync +idle\n/);

    expect((await site.cli("badges", "unknown")).stdout).toContain("0E0000AAAA");
    expect((await site.cli("status")).code).toBe(ExitCode.ok);

    run.type("0E0000BBBB\n");
    await run.waitFor("the second refused tap", (line) => line.badge === "0E0000BBBB");
    const again = await site.cli("status", "--json");
    expect(again.code).toBe(ExitCode.warning);
    expect(
      JSON.parse(again.stdout).unknownBadges.map((badge: { text: string }) => badge.text),
    ).toEqual(["0E0000BBBB"]);

    await run.stop();
    const stopped = await site.cli("status");
    expect(stopped.code).toBe(ExitCode.critical);
    expect(stopped.stdout).toMatch(/^CRITICAL: the terminal is not running/);
  });

  it("ends `run` with the stdin reader at the end of its input, with a log line and exit 0", async () => {
    const site = await terminalSite();
    const run = await site.start();
    run.child.stdin?.end();
    await run.waitFor("the end of input", (line) => line.msg === "input ended; stopping");
    expect(await run.exited).toBe(0);
    expect(run.lines.at(-1)?.msg).toBe("terminal stopped");
  });
});
