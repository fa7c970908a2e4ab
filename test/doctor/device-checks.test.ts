import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gpioCheck, readerCheck, refusedAccess } from "../../src/doctor/device-checks.js";
import { scanGpioChips } from "../../src/gpio/chips.js";
import { makeFakeTree, PC, PI4_6_6 } from "../gpio/fake-trees.js";
import { depsWith, fakeRoot, stateWith } from "./helpers.js";

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

describe("refusedAccess", () => {
  // Files made by this test belong to its group; /etc/group of the fake root names that group.
  const gid = process.getgid?.() ?? 0;
  const rootWithGroup = (name: string | undefined) => {
    const root = fakeRoot();
    if (name !== undefined) {
      mkdirSync(join(root, "etc"));
      writeFileSync(join(root, "etc/group"), `root:x:99999:\n${name}:x:${gid}:timeclock\n`);
    }
    return root;
  };

  it("only warns about a device of a group the service gets from its unit", () => {
    const root = rootWithGroup("dialout");
    expect(refusedAccess("serial device /dev/ttyAMA0", "/dev/ttyAMA0", root, "dialout")).toEqual({
      status: "warn",
      finding:
        "serial device /dev/ttyAMA0 is out of reach for this user, but belongs to group dialout, which the service gets from SupplementaryGroups= in timeclock.service",
      fix: "to check it as the service sees it, run the doctor with sudo, or add your user to the group (sudo usermod -aG dialout $USER, then log in again)",
    });
  });

  it.each([
    ["a group the service lacks", "plugdev", " and belongs to group plugdev"],
    ["an unknown group", undefined, ""],
  ])("fails a device of %s, pointing at the udev rules", (_what, group, named) => {
    const root = rootWithGroup(group);
    expect(refusedAccess("hid device /dev/ttyUSB0", "/dev/ttyUSB0", root, "input")).toEqual({
      status: "fail",
      finding: `hid device /dev/ttyUSB0 is out of reach for this user${named}`,
      fix: "give it to group input with the udev rules in hardware/udev/99-timeclock.rules (sudo udevadm trigger applies them), then restart the service",
    });
  });
});
