import { spawn, spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import type { ChildWithOutput, SpawnChild } from "../../src/readers/child-process.js";
import type { WiegandReaderConfig } from "../../src/readers/config-schema.js";
import { createReader } from "../../src/readers/create-reader.js";
import type { Reader } from "../../src/readers/reader.js";
import { wiegandFrame } from "./frames.js";
import { recorder, waitFor } from "./helpers.js";

const config: WiegandReaderConfig = {
  type: "wiegand",
  chip: "gpiochip0",
  d0: 17,
  d1: 27,
  bits: 26,
  repeatSuppressMs: 1500,
};

/** gpiomon lines for a frame, pulses 2 ms apart in kernel time. */
function gpiomonLines(bits: number[], startSeconds: number): string {
  return bits.map((bit, i) => `${bit ? 27 : 17} ${startSeconds} ${i * 2_000_000}\n`).join("");
}

interface Monitor {
  stdout?: string;
  stderr?: string;
  stays: boolean;
}

/** Node stand-ins for gpiomon: "--version" answers like libgpiod 1.6.3, the monitor plays `monitors` in turn. */
function standIn(monitors: Monitor[]) {
  const calls: string[][] = [];
  let monitorRuns = 0;
  const run = (stdout: string, stderr: string, stays: boolean): ChildWithOutput =>
    spawn(
      process.execPath,
      [
        "-e",
        `process.stdout.write(process.argv[1]); process.stderr.write(process.argv[2]);
         if (process.argv[3] === "yes") setInterval(() => {}, 1000); else process.exitCode = 1;`,
        stdout,
        stderr,
        stays ? "yes" : "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
  const spawnStandIn: SpawnChild = (command, args) => {
    calls.push([command, ...args]);
    if (args[0] === "--version") return run("gpiomon (libgpiod) v1.6.3\n", "", false);
    const monitor = monitors[Math.min(monitorRuns++, monitors.length - 1)] as Monitor;
    return run(monitor.stdout ?? "", monitor.stderr ?? "", monitor.stays);
  };
  return { calls, spawnStandIn };
}

describe("wiegand reader", () => {
  let reader: Reader | undefined;
  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
  });

  it("decodes frames from gpiomon's edges and restarts gpiomon when it ends", async () => {
    const frame = wiegandFrame((161 << 16) | 45763, 24);
    const { calls, spawnStandIn } = standIn([
      {
        stdout: gpiomonLines(frame, 100),
        stderr: "gpiomon: error waiting for events: Input/output error\n",
        stays: false,
      },
      { stdout: gpiomonLines(wiegandFrame(1, 24), 200), stays: true },
    ]);
    const { reads, statuses, deps } = recorder();
    reader = createReader(config, { ...deps, spawn: spawnStandIn });
    await reader.start();
    await waitFor(() => reads.length === 2, "a frame from each gpiomon run");

    expect(calls[0]).toEqual(["gpiomon", "--version"]);
    expect(calls[1]).toEqual(["gpiomon", "-b", "-f", "-F", "%o %s %n", "gpiochip0", "17", "27"]);
    expect(reads).toEqual([
      { badgeId: "0000A1B2C3", knownBits: 24, raw: frame.join("") },
      { badgeId: "0000000001", knownBits: 24, raw: wiegandFrame(1, 24).join("") },
    ]);
    expect(reader.status()).toMatchObject({
      type: "wiegand26",
      device: "gpiochip0:17,27",
      state: "open",
    });
    expect(
      statuses.some((s) =>
        /gpiomon watching GPIO lines 17 \(D0\) and 27 \(D1\) on gpiochip0 ended/.test(
          s.detail ?? "",
        ),
      ),
    ).toBe(true);
  });

  it.each([
    [
      "gpiomon: error requesting GPIO lines: Device or resource busy\n",
      'are in use by another program ("gpioinfo gpiochip0" shows the consumer)',
    ],
    [
      "gpiomon: error waiting for events: No such file or directory\n",
      "GPIO chip gpiochip0 does not exist",
    ],
    [
      "gpiomon: error requesting GPIO lines: Permission denied\n",
      "add the service user to the gpio group",
    ],
  ])("explains %j", async (stderr, expected) => {
    const { spawnStandIn } = standIn([{ stderr, stays: false }]);
    const { statuses, deps } = recorder();
    reader = createReader(config, { ...deps, spawn: spawnStandIn });
    await reader.start();
    await waitFor(() => statuses.some((s) => s.state === "reconnecting"), "gpiomon to end");
    expect(statuses.find((s) => s.state === "reconnecting")?.detail).toContain(expected);
  });
});

const gpiomonInstalled = spawnSync("gpiomon", ["--version"]).status === 0;

describe.skipIf(!gpiomonInstalled)("wiegand reader with the real gpiomon", () => {
  it("explains a chip that does not exist", async () => {
    const { statuses, deps } = recorder();
    const reader = createReader({ ...config, chip: "gpiochip-timeclock-test" }, deps);
    await reader.start();
    await waitFor(() => statuses.some((s) => s.state === "reconnecting"), "gpiomon to fail");
    expect(statuses.find((s) => s.state === "reconnecting")?.detail).toContain(
      "GPIO chip gpiochip-timeclock-test does not exist",
    );
    await reader.stop();
  });
});
