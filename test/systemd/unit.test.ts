import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unitNodeFlags } from "../../bench/unit-flags.js";
import { DEFAULT_CONFIG_PATH, PASSWORD_CREDENTIAL } from "../../src/config/load.js";
import { configSchema } from "../../src/config/schema.js";
import { NO_RESTART_EXIT_CODES } from "../../src/core/exit-codes.js";
import { hasCommand } from "../system/helpers.js";
import { parseUnit, verifyUnit } from "./unit-file.js";

const UNIT = "systemd/timeclock.service";
const unit = parseUnit(UNIT);

function setting(key: string): string[] {
  return unit.get(key) ?? [];
}

function verify(unitText: string) {
  return verifyUnit("timeclock.service", unitText, ["/opt/timeclock/bin/timeclock"]);
}

describe("timeclock.service agrees with the program", () => {
  it("restarts on failure except on the exit codes a restart cannot fix", () => {
    expect(setting("Service.Restart")).toEqual(["always"]);
    expect(setting("Service.RestartPreventExitStatus")).toEqual([
      NO_RESTART_EXIT_CODES.map(String).join(" "),
    ]);
  });

  it("runs the installed wrapper with the default config path", () => {
    expect(setting("Service.ExecStart")).toEqual([
      `/opt/timeclock/bin/timeclock run --config ${DEFAULT_CONFIG_PATH}`,
    ]);
    expect(readFileSync("systemd/install.sh", "utf8")).toContain(
      String.raw`exec "$node_bin" \${TIMECLOCK_NODE_FLAGS-} "$PROGRAM_DIR/dist/cli/main.js" "\$@"`,
    );
  });

  it("hands the password over as the credential the config loader reads", () => {
    expect(setting("Service.LoadCredential")).toEqual([
      `${PASSWORD_CREDENTIAL}:/etc/timeclock/apipassword`,
    ]);
  });

  it("keeps state where terminal.dataDir points by default", () => {
    const defaults = configSchema.shape.terminal.parse({});
    expect(`/var/lib/${setting("Service.StateDirectory")[0]}`).toBe(defaults.dataDir);
    expect(`/etc/${setting("Service.ConfigurationDirectory")[0]}/config.json`).toBe(
      DEFAULT_CONFIG_PATH,
    );
  });

  it("runs the daemon's Node with the memory settings BENCHMARKS.md measured, which this Node takes", () => {
    const flags = unitNodeFlags(UNIT);
    expect(setting("Service.Environment")).toContain(`"TIMECLOCK_NODE_FLAGS=${flags.join(" ")}"`);
    expect(flags).toEqual([
      "--lite-mode",
      "--no-expose-wasm",
      "--max-semi-space-size=1",
      "--max-old-space-size=48",
    ]);
    const probe = spawnSync(
      process.execPath,
      [...flags, "-p", "require('v8').getHeapStatistics().heap_size_limit / 2 ** 20"],
      { encoding: "utf8" },
    );
    expect(probe.stderr).toBe("");
    // 48 MiB of old space and three 1 MiB semi-spaces (V8 adds the young generation to the limit).
    expect(Number(probe.stdout)).toBe(51);
  });

  it("notifies readiness and watchdog pings from a systemd-notify child", () => {
    expect(setting("Service.Type")).toEqual(["notify"]);
    expect(setting("Service.NotifyAccess")).toEqual(["all"]);
    expect(setting("Service.WatchdogSec")).toEqual(["30s"]);
  });

  it("starts without waiting for NTP or the network", () => {
    const ordering = [...setting("Unit.After"), ...setting("Unit.Wants")].join(" ");
    expect(ordering).toContain("time-set.target");
    expect(ordering).not.toMatch(/time-sync\.target|network-online\.target/);
    expect(setting("Unit.Requires")).toEqual([]);
  });

  it("leaves V8 its writable and executable memory", () => {
    expect(unit.has("Service.MemoryDenyWriteExecute")).toBe(false);
  });

  it("runs unprivileged with only the devices a reader, GPIO and an I2C display need", () => {
    expect(setting("Service.User")).toEqual(["timeclock"]);
    expect(setting("Service.CapabilityBoundingSet")).toEqual([""]);
    expect(setting("Service.DevicePolicy")).toEqual(["closed"]);
    expect(setting("Service.DeviceAllow").map((entry) => entry.split(" ")[0])).toEqual([
      "char-ttyS",
      "char-ttyAMA",
      "char-ttyUSB",
      "char-ttyACM",
      "char-gpiochip",
      "char-input",
      "char-i2c",
    ]);
    expect(setting("Service.SupplementaryGroups")).toEqual(["dialout gpio input i2c"]);
  });
});

describe.skipIf(!hasCommand("systemd-analyze"))("systemd-analyze", () => {
  it("verifies the unit without a complaint", () => {
    const result = verify(readFileSync(UNIT, "utf8"));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("would report a misspelt setting (so the check above can fail)", () => {
    const broken = readFileSync(UNIT, "utf8").replace("WatchdogSec=", "WatchdogSecs=");
    expect(verify(broken).stderr).toContain("Unknown key 'WatchdogSecs' in section [Service]");
  });

  it("rates the unit's exposure 2.5 or better", () => {
    const result = spawnSync(
      "systemd-analyze",
      ["security", "--offline=true", "--no-pager", UNIT],
      { encoding: "utf8", env: { ...process.env, SYSTEMD_COLORS: "0" } },
    );
    const score = /Overall exposure level for timeclock\.service: (\d+\.\d+)/.exec(result.stdout);
    expect(score, result.stdout + result.stderr).not.toBeNull();
    expect(Number(score?.[1])).toBeLessThanOrEqual(2.5);
    expect(result.stdout).toMatch(/✗ MemoryDenyWriteExecute=/);
  });
});
