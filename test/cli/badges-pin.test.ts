import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tryPin } from "../../src/admin/index.js";
import { harness } from "../admin/cli-harness.js";

const CLI = resolve("dist/cli/main.js");

/** `timeclock ...` as its own process (the built CLI), with `input` on its standard input. */
function timeclock(configPath: string, input: string, ...argv: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...argv, "--config", configPath], {
    input,
    encoding: "utf8",
    env: { ...process.env, TIMECLOCK_LOG_LEVEL: "silent" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("timeclock badges pin, as its own process", () => {
  it("sets a PIN read from standard input, shows it in badges list, and clears it", async () => {
    const h = harness();
    const config = h.configPath;
    expect(
      timeclock(config, "", "badges", "add", "0F00A1B2C3", "anna@example.com", "--name", "Anna")
        .code,
    ).toBe(0);

    const set = timeclock(config, "480815\n", "badges", "pin", "anna@example.com");
    expect(set.code).toBe(0);
    expect(set.stdout).toBe("set the PIN of badge 0F00A1B2C3 (anna@example.com)\n");
    expect(set.stderr).toContain("note: display.kiosk.pin.enabled is false");
    expect(set.stdout + set.stderr).not.toContain("480815");

    const list = timeclock(config, "", "badges", "list");
    expect(list.stdout).toMatch(/\bpin\b/);
    expect(list.stdout).toMatch(/0F00A1B2C3 .* set /);

    // A wrong PIN three times at the door locks it; badges list says until when.
    // The process reads the real clock, so the guesses are made now.
    h.clock.set(new Date());
    const db = h.openDb();
    const policy = { wrongBeforeLock: 3, lockMinutes: 15 };
    const deps = { db, clock: h.clock };
    for (const guess of ["1", "2", "3"]) await tryPin(deps, "0F00A1B2C3", guess, policy);
    const locked = timeclock(config, "", "badges", "list", "--json");
    const [anna] = JSON.parse(locked.stdout) as { pin: { lockedUntil: string | null } | null }[];
    expect(anna?.pin?.lockedUntil).toBe(
      new Date(h.clock.now().getTime() + 15 * 60_000).toISOString(),
    );
    expect(timeclock(config, "", "badges", "list").stdout).toMatch(
      /0F00A1B2C3 .* locked until \d{4}-/,
    );

    const changed = timeclock(config, "902714\n", "badges", "pin", "0F00A1B2C3");
    expect(changed.stdout).toBe(
      "changed the PIN of badge 0F00A1B2C3 (anna@example.com); its lockout is lifted\n",
    );
    expect(timeclock(config, "", "badges", "pin", "0F00A1B2C3", "--clear")).toMatchObject({
      code: 0,
      stdout: "removed the PIN of badge 0F00A1B2C3 (anna@example.com)\n",
    });
    expect(timeclock(config, "", "badges", "list").stdout).not.toMatch(/0F00A1B2C3 .* set /);
  });

  it("answers a bad PIN, an unknown badge and a PIN on the command line with their exit codes", () => {
    const h = harness();
    const config = h.configPath;
    timeclock(config, "", "badges", "add", "0F00A1B2C3", "anna@example.com");
    const weak = timeclock(config, "1234\n", "badges", "pin", "0F00A1B2C3");
    expect(weak.code).toBe(64);
    expect(weak.stderr).toContain("counts up or down (such as 1234 or 9876)");
    const short = timeclock(config, "47\n", "badges", "pin", "0F00A1B2C3");
    expect(short).toMatchObject({ code: 64 });
    expect(short.stderr).toContain("the PIN has 2 digits; use 4 to 8");
    expect(timeclock(config, "480815\n", "badges", "pin", "0F0000FFFF").code).toBe(81);
    expect(timeclock(config, "", "badges", "pin", "0F00A1B2C3", "--clear").code).toBe(81);
    const argv = timeclock(config, "", "badges", "pin", "0F00A1B2C3", "480815");
    expect(argv.code).toBe(64);
    expect(argv.stderr).not.toContain("set the PIN");
    const both = timeclock(config, "", "badges", "pin", "0F00A1B2C3", "--clear", "--unlock");
    expect(both).toMatchObject({
      code: 64,
      stderr: "timeclock: give --clear or --unlock, not both\n",
    });
    const help = timeclock(config, "", "badges", "pin", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/never an\s+argument/);
  });
});
