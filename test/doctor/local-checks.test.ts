import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import {
  clockCheck,
  dataCheck,
  gpioCheck,
  readerCheck,
  unreadableDataDir,
} from "../../src/doctor/local-checks.js";
import { scanGpioChips } from "../../src/gpio/chips.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { SCHEMA_VERSION } from "../../src/store/migrations.js";
import type { ClockProbe, ClockState } from "../../src/system/clock-state.js";
import { makeFakeTree, PC, PI4_6_6 } from "../gpio/fake-trees.js";
import { depsWith, fakeRoot, NOW, scratchDir, stateWith } from "./helpers.js";

const TIMECLOCK_RUN = ["/usr/bin/node", "/opt/timeclock/dist/cli/main.js", "run"];

describe("reader check", () => {
  const serial0 = { reader: { type: "serial", path: "/dev/serial0" } };

  it("follows /dev/serial0 to its device and accepts the running timeclock holding it", async () => {
    const root = fakeRoot({
      serial0: "ttyAMA0",
      processes: [{ pid: 812, comm: "node", cmdline: TIMECLOCK_RUN, fds: ["/dev/ttyAMA0"] }],
    });
    expect(await readerCheck.run(depsWith({ fsRoot: root }), stateWith(serial0))).toEqual({
      status: "ok",
      finding:
        "serial device /dev/serial0 (resolves to /dev/ttyAMA0) is present and usable by this user; open in the running timeclock (process 812 (node))",
    });
  });

  it("warns about another program holding the device", async () => {
    const root = fakeRoot({
      serial0: "ttyAMA0",
      processes: [
        {
          pid: 4242,
          comm: "minicom",
          cmdline: ["minicom", "-D", "/dev/serial0"],
          fds: ["/dev/ttyAMA0"],
        },
      ],
    });
    expect(await readerCheck.run(depsWith({ fsRoot: root }), stateWith(serial0))).toMatchObject({
      status: "warn",
      finding:
        "serial device /dev/serial0 (resolves to /dev/ttyAMA0) is open in process 4242 (minicom)",
    });
  });

  it("fails a port shared with the kernel's serial console, saying how to free it", async () => {
    const root = fakeRoot({ serial0: "ttyAMA0", cmdline: "console=serial0,115200 console=tty1" });
    const finding = await readerCheck.run(depsWith({ fsRoot: root }), stateWith(serial0));
    expect(finding).toMatchObject({
      status: "fail",
      finding:
        "serial device /dev/serial0 (resolves to /dev/ttyAMA0) is shared with a serial console",
      fix: expect.stringContaining("raspi-config nonint do_serial_cons 1"),
    });
  });

  it.each([
    [
      { type: "serial", path: "/dev/ttyACM7" },
      "serial device /dev/ttyACM7 (reader.path) does not exist",
      "ls -l /dev/serial* /dev/ttyUSB* /dev/ttyACM*",
    ],
    [
      { type: "hid", path: "/dev/input/by-id/usb-reader-event-kbd" },
      "hid device /dev/input/by-id/usb-reader-event-kbd (reader.path) does not exist",
      "ls -l /dev/input/by-id/",
    ],
    [
      { type: "wiegand", chip: "gpiochip4", d0: 5, d1: 6 },
      "Wiegand chip /dev/gpiochip4 (reader.chip) does not exist",
      "gpiodetect",
    ],
  ])("fails a missing device: %o", async (reader, finding, fix) => {
    const root = fakeRoot();
    expect(await readerCheck.run(depsWith({ fsRoot: root }), stateWith({ reader }))).toEqual({
      status: "fail",
      finding,
      fix: expect.stringContaining(fix),
    });
  });

  it("passes a Wiegand reader whose chip exists, and a stdin reader with a note", async () => {
    const root = fakeRoot({ devices: ["dev/gpiochip0"] });
    const wiegand = { reader: { type: "wiegand", d0: 5, d1: 6 } };
    expect(await readerCheck.run(depsWith({ fsRoot: root }), stateWith(wiegand))).toEqual({
      status: "ok",
      finding: "Wiegand reader on /dev/gpiochip0, D0 line 5, D1 line 6",
    });
    const stdin = await readerCheck.run(depsWith(), stateWith({ reader: { type: "stdin" } }));
    expect(stdin).toMatchObject({
      status: "ok",
      finding: expect.stringContaining("standard input"),
    });
  });
});

describe("GPIO check", () => {
  const chipsOf = (root: string) => () => Promise.resolve(scanGpioChips({ fsRoot: root }));

  it("passes the none backend with a note, without looking for chips", async () => {
    expect(await gpioCheck.run(depsWith(), stateWith())).toEqual({
      status: "ok",
      finding: 'feedback.backend is "none": LEDs, buzzer and keys are only logged',
    });
  });

  it("names the chip and line of every configured output and key", async () => {
    const root = makeFakeTree({ chips: PI4_6_6, legacySysfs: true });
    const feedback = {
      backend: "gpiod",
      buzzer: null,
      keys: [{ name: "in", bcm: 5 }],
    };
    const finding = await gpioCheck.run(
      depsWith({ fsRoot: root, scanChips: chipsOf(root) }),
      stateWith({ feedback }),
    );
    expect(finding).toEqual({
      status: "ok",
      finding:
        'feedback.backend "gpiod": ' +
        "feedback.green: BCM 17 = gpiochip0 [pinctrl-bcm2711] line 17, sysfs GPIO 529 (found by label); " +
        "feedback.red: BCM 27 = gpiochip0 [pinctrl-bcm2711] line 27, sysfs GPIO 539 (found by label); " +
        "feedback.keys[0] (in): BCM 5 = gpiochip0 [pinctrl-bcm2711] line 5, sysfs GPIO 517 (found by label)",
    });
  });

  it("fails when no chip is a Raspberry Pi header", async () => {
    const root = makeFakeTree({ chips: PC, legacySysfs: false });
    const finding = await gpioCheck.run(
      depsWith({ fsRoot: root, scanChips: chipsOf(root) }),
      stateWith({ feedback: { backend: "auto" } }),
    );
    expect(finding).toMatchObject({
      status: "fail",
      finding: expect.stringMatching(
        /^feedback\.green: cannot resolve BCM 17: no chip has a line named GPIO17/,
      ),
      fix: expect.stringContaining('set feedback.backend to "none"'),
    });
  });

  it("fails the sysfs backend on a kernel without /sys/class/gpio", async () => {
    const root = makeFakeTree({ chips: PI4_6_6, legacySysfs: false });
    expect(
      await gpioCheck.run(
        depsWith({ fsRoot: root }),
        stateWith({ feedback: { backend: "sysfs" } }),
      ),
    ).toMatchObject({ status: "fail", fix: expect.stringContaining("apt-get install gpiod") });
  });
});

describe("clock check", () => {
  const probe = (state: Omit<ClockState, "bootId"> | Error): ClockProbe => ({
    read: async () => {
      if (state instanceof Error) throw state;
      return { ...state, bootId: "boot" };
    },
    bootId: () => "boot",
  });

  it("trusts the system clock by config without asking the probe", async () => {
    const finding = await clockCheck.run(
      depsWith(),
      stateWith({ terminal: { clockTrust: "system" } }),
    );
    expect(finding).toMatchObject({ status: "ok", finding: expect.stringContaining('"system"') });
  });

  const none = {
    synchronized: false,
    source: "none" as const,
    detail: "no marker; no timedatectl",
  };
  it.each([
    [
      "auto",
      { synchronized: true, source: "chrony" as const },
      "ok",
      "system clock synchronised (checked by chrony)",
      undefined,
    ],
    [
      "auto",
      {
        synchronized: false,
        source: "timedatectl" as const,
        detail: "timedatectl reports NTPSynchronized=no",
      },
      "warn",
      "system clock not synchronised (checked by timedatectl): taps are stored but held until it is",
      "timedatectl reports NTPSynchronized=no",
    ],
    [
      "ntp",
      none,
      "warn",
      "system clock not synchronised (no time service answered): taps are stored but held until it is",
      "no marker; no timedatectl",
    ],
    [
      "auto",
      none,
      "warn",
      'no time service can tell whether the system clock is right, so terminal.clockTrust "auto" trusts it',
      'no marker; no timedatectl; on a machine with a battery-backed clock set terminal.clockTrust to "system"',
    ],
    [
      "ntp",
      new Error("cannot read the boot id"),
      "fail",
      "cannot tell whether the clock is synchronised: cannot read the boot id",
      "run timeclock on Linux with /proc mounted",
    ],
  ])("with clockTrust %s, reports %o as %s", async (clockTrust, state, status, finding, fix) => {
    const result = await clockCheck.run(
      depsWith({ clockProbe: probe(state) }),
      stateWith({ terminal: { clockTrust } }),
    );
    expect(result).toEqual(fix === undefined ? { status, finding } : { status, finding, fix });
  });
});

describe("data directory and database check", () => {
  const withData = (dataDir: string) => stateWith({ terminal: { dataDir } });

  it("fails a missing data directory with the command that creates it", () => {
    const dir = join(scratchDir(), "missing");
    expect(dataCheck.run(depsWith(), withData(dir))).toEqual({
      status: "fail",
      finding: `terminal.dataDir ${dir} cannot be read (ENOENT)`,
      fix: `create it for the service user: sudo install -d -o timeclock -g timeclock -m 0750 ${dir}, and let the service write there (ReadWritePaths=${dir} in a drop-in, see systemd/README.md)`,
    });
  });

  it.each([
    ["/var/lib/timeclock", "ENOENT", "warn"],
    ["/srv/timeclock", "ENOENT", "fail"],
    ["/var/lib/timeclock", "EACCES", "fail"],
  ])("judges %s refused with %s as %s (systemd creates only the default)", (dir, code, status) => {
    expect(unreadableDataDir(dir, code).status).toBe(status);
  });

  it("passes an empty data directory without creating a database", () => {
    const dir = scratchDir();
    const state = withData(dir);
    expect(dataCheck.run(depsWith(), state)).toMatchObject({
      status: "ok",
      finding: expect.stringContaining("no database yet"),
    });
    expect(state.badges).toEqual([]);
    expect(() => new Database(databasePath(dir), { fileMustExist: true })).toThrow();
  });

  it("passes a current database and hands its badges to the later checks", () => {
    const dir = scratchDir();
    const db = openDatabase(dir, { logger: silentLogger() });
    new BadgeRepository(db, new FakeClock(NOW)).put({
      badgeId: "0F00A1B2C3",
      knownBits: 40,
      email: "anna@x.en",
    });
    db.close();
    const state = withData(dir);
    expect(dataCheck.run(depsWith(), state)).toEqual({
      status: "ok",
      finding: `${dir} is writable; database ${databasePath(dir)} passes quick_check at schema version ${SCHEMA_VERSION}`,
    });
    expect(state.badges?.map((badge) => badge.email)).toEqual(["anna@x.en"]);
  });

  it("warns about an older schema, which the service migrates, and leaves it as it is", () => {
    const dir = scratchDir();
    openDatabase(dir, { logger: silentLogger(), targetVersion: SCHEMA_VERSION - 1 }).close();
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "warn",
      fix: "restart the service to migrate it: sudo systemctl restart timeclock",
    });
    const db = new Database(databasePath(dir));
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION - 1);
    db.close();
  });

  it("fails a schema newer than this program knows", () => {
    const dir = scratchDir();
    const db = openDatabase(dir, { logger: silentLogger() });
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "fail",
      finding: expect.stringContaining(
        `schema version ${SCHEMA_VERSION + 1}, newer than this timeclock knows`,
      ),
    });
  });

  it("fails a file that is not a database, with the recovery command", () => {
    const dir = scratchDir();
    writeFileSync(databasePath(dir), "this is not SQLite ".repeat(300));
    expect(dataCheck.run(depsWith(), withData(dir))).toMatchObject({
      status: "fail",
      finding: expect.stringContaining("(SQLITE_NOTADB)"),
      fix: expect.stringContaining(".recover"),
    });
  });
});
