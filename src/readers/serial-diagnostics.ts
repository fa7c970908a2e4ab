import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * Explanations for a serial port that cannot be opened or is shared with the serial console.
 * Everything is read below `root` ("/" in production) so that tests can fake /proc and /dev.
 */

const CONSOLE_FIX =
  'run "sudo raspi-config nonint do_serial_cons 1" (or remove "console=serial0,115200" from /boot/firmware/cmdline.txt), ' +
  'then "sudo systemctl disable --now serial-getty@ttyAMA0.service" (and serial-getty@ttyS0.service), and reboot';

/** The device a path names, as seen under root: /dev/serial0 becomes /dev/ttyAMA0 or /dev/ttyS0. */
export function resolveDevice(path: string, root: string): string {
  try {
    const real = realpathSync(join(root, path));
    const rootReal = realpathSync(root);
    return rootReal === "/" ? real : real.slice(rootReal.length) || "/";
  } catch {
    return path;
  }
}

/** Processes that have the device open, as "process 1234 (minicom)", found through /proc. */
export function findDeviceHolders(path: string, root: string): string[] {
  const device = resolveDevice(path, root);
  const proc = join(root, "proc");
  const holders: string[] = [];
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(join(proc, pid, "fd"));
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(join(proc, pid, "fd", fd)) === device;
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = "";
    try {
      command = readFileSync(join(proc, pid, "comm"), "utf8").trim();
    } catch {
      // The process may have ended between the two reads; its pid is still worth naming.
    }
    holders.push(command ? `process ${pid} (${command})` : `process ${pid}`);
  }
  return holders;
}

/** A warning when the kernel console or a serial getty sits on the reader's port, else undefined. */
export function serialConsoleConflict(path: string, root: string): string | undefined {
  const device = basename(resolveDevice(path, root));
  const names = new Set([basename(path), device]);
  let cmdline = "";
  try {
    cmdline = readFileSync(join(root, "proc", "cmdline"), "utf8");
  } catch {
    return undefined;
  }
  const consoles = [...cmdline.matchAll(/(?:^|\s)console=([^,\s]+)/g)].map(
    (match) => match[1] ?? "",
  );
  const clash = consoles.find(
    (name) => names.has(name) || names.has(basename(resolveDevice(`/dev/${name}`, root))),
  );
  const getty = [...names].find((name) =>
    existsSync(join(root, "etc/systemd/system/getty.target.wants", `serial-getty@${name}.service`)),
  );
  if (!clash && !getty) return undefined;
  const what = clash
    ? `the kernel's serial console (console=${clash} in /proc/cmdline)`
    : `used by serial-getty@${getty}.service for a login prompt`;
  return `serial port ${path} (${device}) is ${what}, so boot messages and a login prompt share the line with the reader; ${CONSOLE_FIX}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns an error from opening the port into what is wrong and what to do. */
export function explainSerialOpenError(error: unknown, path: string, root: string): string {
  const message = messageOf(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || /No such file or directory/i.test(message)) {
    return `serial device ${path} does not exist: plug the reader in, or correct reader.path (ls -l /dev/serial* /dev/ttyUSB* /dev/ttyACM* lists candidates); for the Pi's own UART run "sudo raspi-config nonint do_serial_hw 0" and reboot`;
  }
  if (code === "EACCES" || /Permission denied/i.test(message)) {
    return `no permission to open serial device ${path}: add the service user to the dialout group ("sudo usermod -aG dialout timeclock") and restart the service`;
  }
  if (/Cannot lock port|Resource temporarily unavailable|Resource busy|EBUSY/i.test(message)) {
    const holders = findDeviceHolders(path, root);
    const who = holders.length > 0 ? holders.join(", ") : "another process";
    const console = serialConsoleConflict(path, root);
    return `serial device ${path} is in use by ${who}: stop it (a second timeclock, minicom, screen, a getty) and the reader opens it on its next attempt${console ? `; also, ${console}` : ""}`;
  }
  return `cannot open serial device ${path}: ${message}`;
}
