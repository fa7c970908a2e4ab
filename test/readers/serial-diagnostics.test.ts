import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  explainSerialOpenError,
  findDeviceHolders,
  resolveDevice,
  serialConsoleConflict,
} from "../../src/readers/serial-diagnostics.js";

interface FakeSystem {
  cmdline?: string;
  /** /dev/serial0 points at this device. */
  serial0?: string;
  gettys?: string[];
  processes?: { pid: number; comm: string; fds: string[] }[];
}

/** A directory standing in for "/": /dev, /proc and /etc as the diagnostics read them. */
function fakeRoot(system: FakeSystem): string {
  const root = mkdtempSync(join(tmpdir(), "timeclock-root-"));
  const file = (path: string, content = "") => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  file("dev/ttyAMA0");
  file("dev/ttyS0");
  file("dev/ttyUSB0");
  if (system.serial0) symlinkSync(system.serial0, join(root, "dev/serial0"));
  if (system.cmdline !== undefined) file("proc/cmdline", `${system.cmdline}\n`);
  for (const name of system.gettys ?? []) {
    file(`etc/systemd/system/getty.target.wants/serial-getty@${name}.service`);
  }
  for (const { pid, comm, fds } of system.processes ?? []) {
    file(`proc/${pid}/comm`, `${comm}\n`);
    mkdirSync(join(root, `proc/${pid}/fd`), { recursive: true });
    for (const [fd, target] of fds.entries()) {
      symlinkSync(target, join(root, `proc/${pid}/fd/${fd}`));
    }
  }
  return root;
}

const PI_CMDLINE =
  "console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait";

describe("serialConsoleConflict", () => {
  it.each([
    [
      "the console on serial0, reader on serial0",
      { cmdline: PI_CMDLINE, serial0: "ttyAMA0" },
      "/dev/serial0",
      "console=serial0",
    ],
    [
      "the console on ttyAMA0, reader on serial0",
      { cmdline: "console=ttyAMA0,115200", serial0: "ttyAMA0" },
      "/dev/serial0",
      "console=ttyAMA0",
    ],
    [
      "the console on serial0, reader on ttyS0 behind it",
      { cmdline: PI_CMDLINE, serial0: "ttyS0" },
      "/dev/ttyS0",
      "console=serial0",
    ],
    [
      "a serial getty only",
      { cmdline: "console=tty1", serial0: "ttyAMA0", gettys: ["ttyAMA0"] },
      "/dev/serial0",
      "serial-getty@ttyAMA0.service",
    ],
  ])("finds %s", (_name, system, path, expected) => {
    const problem = serialConsoleConflict(path, fakeRoot(system));
    expect(problem).toContain(expected);
    expect(problem).toContain('run "sudo raspi-config nonint do_serial_cons 1"');
    expect(problem).toContain('remove "console=serial0,115200" from /boot/firmware/cmdline.txt');
    expect(problem).toContain("serial-getty@ttyAMA0.service");
  });

  it.each([
    [
      "a USB reader while the console is on serial0",
      { cmdline: PI_CMDLINE, serial0: "ttyAMA0" },
      "/dev/ttyUSB0",
    ],
    [
      "the console on tty1 only",
      { cmdline: "console=tty1 root=/dev/mmcblk0p2", serial0: "ttyAMA0" },
      "/dev/serial0",
    ],
    ["no /proc/cmdline", { serial0: "ttyAMA0" }, "/dev/serial0"],
  ])("finds nothing for %s", (_name, system, path) => {
    expect(serialConsoleConflict(path, fakeRoot(system))).toBeUndefined();
  });
});

describe("findDeviceHolders", () => {
  it("names every process with the device open, following /dev/serial0", () => {
    const root = fakeRoot({
      serial0: "ttyAMA0",
      processes: [
        { pid: 412, comm: "minicom", fds: ["/dev/null", "/dev/ttyAMA0"] },
        { pid: 500, comm: "bash", fds: ["/dev/tty1"] },
        { pid: 613, comm: "agetty", fds: ["/dev/ttyAMA0"] },
      ],
    });
    expect(resolveDevice("/dev/serial0", root)).toBe("/dev/ttyAMA0");
    expect(findDeviceHolders("/dev/serial0", root).sort()).toEqual([
      "process 412 (minicom)",
      "process 613 (agetty)",
    ]);
  });
});

describe("explainSerialOpenError", () => {
  const root = fakeRoot({
    cmdline: PI_CMDLINE,
    serial0: "ttyAMA0",
    processes: [{ pid: 412, comm: "screen", fds: ["/dev/ttyAMA0"] }],
  });
  it.each([
    [
      "Error: No such file or directory, cannot open /dev/serial0",
      "serial device /dev/serial0 does not exist: plug the reader in, or correct reader.path",
    ],
    [
      "Error: Permission denied, cannot open /dev/serial0",
      'add the service user to the dialout group ("sudo usermod -aG dialout timeclock")',
    ],
    [
      "Error Resource temporarily unavailable Cannot lock port",
      "serial device /dev/serial0 is in use by process 412 (screen): stop it",
    ],
    [
      "Error Resource temporarily unavailable Cannot lock port",
      "also, serial port /dev/serial0 (ttyAMA0) is the kernel's serial console",
    ],
    [
      "Error: Input/output error",
      "cannot open serial device /dev/serial0: Error: Input/output error",
    ],
  ])("explains %j", (message, expected) => {
    expect(explainSerialOpenError(new Error(message), "/dev/serial0", root)).toContain(expected);
  });
});
