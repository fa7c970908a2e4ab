import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { TEST_COMMENT } from "../../src/doctor/write-test.js";
import { SEED_ADMIN, SEED_TIME_TYPES } from "../../src/simulator/index.js";
import { doctor, PASSWORD_ENV, site } from "./site.js";

describe("timeclock doctor --write-test against a simulator on loopback", () => {
  it("books, verifies and deletes a test entry with --write-test, leaving nothing behind", async () => {
    const s = await site();
    const before = s.sim.state.entries();
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(ExitCode.ok);
    const written = run.byName["write test"];
    expect(written?.status).toBe("ok");
    expect(written?.finding).toMatch(
      /^the server took server.timeFormat "iso-offset": booked 2026-10-23 03:00 \+02:00 to 2026-10-23 03:05 \+02:00 for admin@gtsandbox\.en and read it back unchanged; test entry \S+ deleted$/,
    );
    expect(s.sim.state.entries()).toEqual(before);
    expect(s.sim.state.counters).toMatchObject({ entriesCreated: 1, entriesDeleted: 1 });
  });

  it("reports the id of a test entry it could not delete, which is the entry it booked", async () => {
    const s = await site();
    s.sim.faults.failNext(1, 503, { path: /deletetimeentry/ });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(ExitCode.critical);
    const [left] = s.sim.state.entries();
    expect(left).toMatchObject({
      userEmail: SEED_ADMIN.loginEmail,
      start: new Date("2026-10-23T01:00:00Z"),
      end: new Date("2026-10-23T01:05:00Z"),
      timeTypeId: SEED_TIME_TYPES.workingHours.id,
      projectId: null,
      comment: TEST_COMMENT,
    });
    expect(run.byName["write test"]).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(`deleting the test entry ${left?.id} failed`),
      fix: `delete it by hand: timeclock server delete ${left?.id}`,
    });
  });

  it("picks a free slot around the admin's own entries", async () => {
    const s = await site();
    const create = (start: string, end: string) =>
      runCli(
        [
          ...["--config", s.configPath, "server", "create", "--user", SEED_ADMIN.loginEmail],
          ...["--start", start, "--end", end],
        ],
        { env: PASSWORD_ENV, stdout: new PassThrough(), stderr: new PassThrough() },
      );
    expect(await create("2026-10-23T02:00", "2026-10-23T03:07")).toBe(ExitCode.ok);
    const before = s.sim.state.entries();
    const run = await doctor(s, ["--write-test"]);
    expect(run.byName["write test"]?.finding).toMatch(
      /^the server took server.timeFormat "iso-offset": booked 2026-10-23 03:10 \+02:00 to 2026-10-23 03:15/,
    );
    expect(s.sim.state.entries()).toEqual(before);
  });

  it("names the format the server took when it refuses the configured one, and leaves nothing behind", async () => {
    const s = await site({ sim: { timeFormat: "epoch-ms" } });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(ExitCode.critical);
    expect(run.byName["write test"]).toMatchObject({
      status: "fail",
      finding: expect.stringMatching(
        /^the server took server.timeFormat "epoch-ms", not the configured server.timeFormat "iso-offset": booked 2026-10-23 03:00 \+02:00 to 2026-10-23 03:05 \+02:00 /,
      ),
      fix: `set "timeFormat": "epoch-ms" in the "server" section of ${s.configPath}, or run timeclock doctor --write-test --save to write it there`,
    });
    expect(s.sim.state.entries()).toEqual([]);
    expect(s.sim.state.counters).toMatchObject({ entriesCreated: 1, entriesDeleted: 1 });
  });

  it("warns that a local time format cannot prove the zone, even when both sides agree", async () => {
    const s = await site({
      sim: { timeFormat: "iso-local", timeZone: "America/New_York" },
      server: { timeFormat: "iso-local" },
    });
    const run = await doctor(s, ["--write-test"]);
    expect(run.code).toBe(ExitCode.warning);
    expect(run.byName["write test"]).toMatchObject({
      status: "warn",
      finding: expect.stringContaining(
        "carries no offset, so a server reading it in another zone than Europe/Berlin would pass",
      ),
    });
    expect(s.sim.state.entries()).toEqual([]);
  });
});
