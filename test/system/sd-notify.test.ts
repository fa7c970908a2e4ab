import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { createSystemdNotifier, watchdogIntervalFrom } from "../../src/system/sd-notify.js";
import { capturingLogger, hasCommand, startNotifyReceiver } from "./helpers.js";

interface Call {
  file: string;
  args: string[];
}

function recordingRunner() {
  const calls: Call[] = [];
  const run = async (file: string, args: string[]) => {
    calls.push({ file, args });
  };
  return { calls, run };
}

const underSystemd = { NOTIFY_SOCKET: "/run/systemd/notify" };

describe("watchdogIntervalFrom", () => {
  it.each([
    [{}, 1234, undefined],
    [{ WATCHDOG_USEC: "30000000" }, 1234, 15_000],
    [{ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "1234" }, 1234, 15_000],
    [{ WATCHDOG_USEC: "30000000", WATCHDOG_PID: "99" }, 1234, undefined],
    [{ WATCHDOG_USEC: "0" }, 1234, undefined],
    [{ WATCHDOG_USEC: "soon" }, 1234, undefined],
    [{ WATCHDOG_USEC: "1500" }, 1234, 1],
  ])("env %j for PID %i gives %s ms", (env, pid, expected) => {
    expect(watchdogIntervalFrom(env, pid)).toBe(expected);
  });
});

describe("createSystemdNotifier with an injected runner", () => {
  it("does nothing outside systemd", async () => {
    const { calls, run } = recordingRunner();
    const notifier = createSystemdNotifier({
      env: { WATCHDOG_USEC: "30000000" },
      logger: silentLogger(),
      run,
    });
    await notifier.ready("up");
    await notifier.watchdog();
    await notifier.status("still up");
    await notifier.stopping();
    expect(notifier.enabled).toBe(false);
    expect(notifier.watchdogIntervalMs).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it.each([
    ["ready()", (n: ReturnType<typeof createSystemdNotifier>) => n.ready(), ["READY=1"]],
    [
      "ready(status)",
      (n: ReturnType<typeof createSystemdNotifier>) => n.ready("reader on /dev/serial0"),
      ["READY=1", "STATUS=reader on /dev/serial0"],
    ],
    ["watchdog()", (n: ReturnType<typeof createSystemdNotifier>) => n.watchdog(), ["WATCHDOG=1"]],
    [
      "status(multi-line)",
      (n: ReturnType<typeof createSystemdNotifier>) => n.status("3 shifts queued\n  server down"),
      ["STATUS=3 shifts queued server down"],
    ],
    ["stopping()", (n: ReturnType<typeof createSystemdNotifier>) => n.stopping(), ["STOPPING=1"]],
  ])("%s runs systemd-notify %j", async (_name, call, expected) => {
    const { calls, run } = recordingRunner();
    const notifier = createSystemdNotifier({ env: underSystemd, logger: silentLogger(), run });
    await call(notifier);
    expect(notifier.enabled).toBe(true);
    expect(calls).toEqual([{ file: "systemd-notify", args: expected }]);
  });

  it("reports the watchdog interval only for the PID systemd meant", () => {
    const env = { ...underSystemd, WATCHDOG_USEC: "30000000", WATCHDOG_PID: "4321" };
    const mine = createSystemdNotifier({ env, logger: silentLogger(), pid: 4321 });
    const child = createSystemdNotifier({ env, logger: silentLogger(), pid: 4322 });
    expect(mine.watchdogIntervalMs).toBe(15_000);
    expect(child.watchdogIntervalMs).toBeUndefined();
  });

  it("logs a failed systemd-notify instead of throwing", async () => {
    const { logger, lines } = capturingLogger();
    const notifier = createSystemdNotifier({
      env: underSystemd,
      logger,
      run: async () => {
        throw new Error("systemd-notify exited with status 1");
      },
    });
    await expect(notifier.ready("up")).resolves.toBeUndefined();
    const warning = lines().find((line) => line.level === "warn");
    expect(warning).toMatchObject({
      part: "sd-notify",
      notification: "READY=1 STATUS=up",
      notifySocket: "/run/systemd/notify",
      err: { message: "systemd-notify exited with status 1" },
    });
  });
});

const canRunReal = hasCommand("systemd-notify") && hasCommand("python3");

describe.skipIf(!canRunReal)("createSystemdNotifier with the real systemd-notify", () => {
  it("delivers each message as one datagram to the socket in NOTIFY_SOCKET", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "timeclock-notify-")), "notify.sock");
    const receiver = await startNotifyReceiver(socketPath);
    try {
      const notifier = createSystemdNotifier({
        env: { PATH: process.env.PATH, NOTIFY_SOCKET: socketPath },
        logger: silentLogger(),
      });
      await notifier.ready("reader on /dev/serial0");
      await notifier.watchdog();
      await notifier.status("2 shifts queued");
      await notifier.stopping();
      const messages = await receiver.waitFor(4);
      expect(messages.map((message) => message.split("\n").filter(Boolean))).toEqual([
        ["READY=1", "STATUS=reader on /dev/serial0"],
        ["WATCHDOG=1"],
        ["STATUS=2 shifts queued"],
        ["STOPPING=1"],
      ]);
    } finally {
      receiver.close();
    }
  });

  it("logs, not throws, when nothing listens on NOTIFY_SOCKET", async () => {
    const socketPath = join(mkdtempSync(join(tmpdir(), "timeclock-notify-")), "absent.sock");
    const { logger, lines } = capturingLogger();
    const notifier = createSystemdNotifier({
      env: { PATH: process.env.PATH, NOTIFY_SOCKET: socketPath },
      logger,
    });
    await expect(notifier.watchdog()).resolves.toBeUndefined();
    const warning = lines().find((line) => line.level === "warn");
    expect(warning?.notification).toBe("WATCHDOG=1");
    expect(JSON.stringify(warning?.err)).toContain("systemd-notify WATCHDOG=1 exited with status");
  });
});
