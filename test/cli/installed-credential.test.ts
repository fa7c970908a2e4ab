import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import type { CheckResult } from "../../src/doctor/types.js";
import { SEED_ADMIN } from "../../src/simulator/index.js";
import { doctor, site } from "../doctor/site.js";
import { runCaptured } from "../helpers/cli.js";

/**
 * The installed layout: the API password is the systemd credential apipassword, whose source
 * /etc/timeclock/apipassword lies beside the config and only root may read. An admin runs
 * `doctor` and `config check` outside the service, with no $CREDENTIALS_DIRECTORY.
 */

const CLI = resolve("dist/cli/main.js");
const NOBODY = 65534;

/** The credential's source beside the config, as install.sh writes it. */
function installCredential(configPath: string): string {
  const path = join(configPath, "..", "apipassword");
  writeFileSync(path, `${SEED_ADMIN.apiPassword}\n`, { mode: 0o600 });
  return path;
}

/**
 * Runs the built CLI as a user who may not read the credential: as nobody when the tests run as
 * root, else as this user with the file made unreadable.
 */
function runWithoutAccess(credential: string, args: string[]) {
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) chmodSync(credential, 0o000);
  const command = asRoot
    ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath]
    : [process.execPath];
  const [file = "", ...rest] = command;
  const result = spawnSync(file, [...rest, CLI, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("doctor and config check on the installed layout", () => {
  it("read the credential's source as the service's password when they may (root, or its owner)", async () => {
    const s = await site();
    installCredential(s.configPath);
    const run = await doctor(s, [], {});
    expect(run.byName.configuration).toMatchObject({
      status: "ok",
      finding: expect.stringContaining(
        "the API password comes from credential source beside the config",
      ),
    });
    expect(run.byName.credentials?.status).toBe("ok");
    expect(run.code).toBe(ExitCode.ok);
    const check = await runCaptured(["--config", s.configPath, "config", "check"], { env: {} });
    expect(check.code).toBe(ExitCode.ok);
    expect(check.stdout).toContain('"apiPasswordSource": "credential source beside the config"');
    expect(check.stdout).not.toContain(SEED_ADMIN.apiPassword);
  });

  it("name the exact line to run when they may not read it, and agree", async () => {
    const s = await site();
    const credential = installCredential(s.configPath);
    // Let the other user reach the config, as root:timeclock 0640 lets the service's group.
    chmodSync(s.dir, 0o755);
    chmodSync(s.configPath, 0o644);
    mkdirSync(join(s.dir, "data"), { recursive: true });
    const doctorRun = runWithoutAccess(credential, ["--config", s.configPath, "doctor", "--json"]);
    const results = JSON.parse(doctorRun.stdout) as CheckResult[];
    const configuration = results.find((result) => result.check === "configuration");
    expect(configuration).toMatchObject({ status: "fail" });
    expect(configuration?.finding).toContain(
      `it is the systemd credential apipassword, whose source ${credential} only root may read`,
    );
    const line = `sudo systemd-run --pipe --wait --quiet --collect --uid=timeclock --gid=timeclock -p SupplementaryGroups="dialout gpio input" -p LoadCredential=apipassword:${credential} `;
    expect(configuration?.fix).toContain(line);
    expect(configuration?.fix).toMatch(
      new RegExp(`dist/cli/main\\.js doctor --config ${s.configPath}$`),
    );
    expect(doctorRun.code).toBe(ExitCode.critical);

    const check = runWithoutAccess(credential, ["--config", s.configPath, "config", "check"]);
    expect(check.code).toBe(ExitCode.critical);
    expect(check.stderr).toContain(`fail: ${configuration?.finding}`);
    expect(check.stderr).toContain(`fix: ${configuration?.fix}`);
  });
});
