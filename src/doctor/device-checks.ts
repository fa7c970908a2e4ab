import { constants, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { hasSysfsExport } from "../gpio/chips.js";
import type { FeedbackConfig } from "../gpio/config-schema.js";
import { describePin, PinResolutionError, resolvePin } from "../gpio/resolve.js";
import type { ReaderConfig } from "../readers/config-schema.js";
import {
  findDeviceHolders,
  resolveDevice,
  serialConsoleConflict,
} from "../readers/serial-diagnostics.js";
import { type Check, canAccess, type Finding, fail, loadedOf, ok, warn } from "./types.js";

/** Checks of the hardware the config names: the reader's device and the GPIO lines. */

/** timeclock.service's SupplementaryGroups=: the service has them, `sudo -u timeclock` does not. */
export const SERVICE_GROUPS = ["dialout", "gpio", "input"] as const;

function groupName(gid: number, root: string): string | undefined {
  try {
    for (const line of readFileSync(join(root, "etc/group"), "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && Number(id) === gid) return name;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * What it means that this process may not use a device. The service gets its groups from the unit,
 * so a device of one of those groups is only out of reach for this run, not for the service.
 */
export function refusedAccess(what: string, path: string, root: string, wanted: string): Finding {
  let owner: string | undefined;
  try {
    owner = groupName(statSync(join(root, path)).gid, root);
  } catch {
    owner = undefined;
  }
  if (owner !== undefined && (SERVICE_GROUPS as readonly string[]).includes(owner)) {
    return warn(
      `${what} is out of reach for this user, but belongs to group ${owner}, which the service gets from SupplementaryGroups= in timeclock.service`,
      `to check it as the service sees it, run the doctor with sudo, or add your user to the group (sudo usermod -aG ${owner} $USER, then log in again)`,
    );
  }
  return fail(
    `${what} is out of reach for this user${owner === undefined ? "" : ` and belongs to group ${owner}`}`,
    `give it to group ${wanted} with the udev rules in hardware/udev/99-timeclock.rules (sudo udevadm trigger applies them), then restart the service`,
  );
}

/** Whether a holder that findDeviceHolders named is a `timeclock run`, such as the service. */
function isTimeclockService(holder: string, root: string): boolean {
  const pid = /^process (\d+)/.exec(holder)?.[1];
  if (pid === undefined) return false;
  try {
    const args = readFileSync(join(root, "proc", pid, "cmdline"), "utf8").split("\0");
    return args.includes("run") && args.some((arg) => /(^|\/)(timeclock|cli\/main\.js)$/.test(arg));
  } catch {
    return false;
  }
}

function devicePathCheck(
  reader: Extract<ReaderConfig, { type: "serial" | "hid" }>,
  root: string,
): Finding {
  const { path, type } = reader;
  const serial = type === "serial";
  if (!existsSync(join(root, path))) {
    return fail(
      `${type} device ${path} (reader.path) does not exist`,
      serial
        ? 'plug the reader in or correct reader.path (ls -l /dev/serial* /dev/ttyUSB* /dev/ttyACM* lists candidates); for the Pi\'s own UART run "sudo raspi-config nonint do_serial_hw 0" and reboot'
        : "plug the reader in or correct reader.path (ls -l /dev/input/by-id/ lists candidates; pick the one ending in -event-kbd)",
    );
  }
  const device = resolveDevice(path, root);
  const named = device === path ? path : `${path} (resolves to ${device})`;
  const mode = serial ? constants.R_OK | constants.W_OK : constants.R_OK;
  if (!canAccess(join(root, path), mode)) {
    return refusedAccess(`${type} device ${named}`, path, root, serial ? "dialout" : "input");
  }
  if (serial) {
    const conflict = serialConsoleConflict(path, root);
    if (conflict) return fail(`serial device ${named} is shared with a serial console`, conflict);
  }
  const holders = findDeviceHolders(path, root);
  const others = holders.filter((holder) => !isTimeclockService(holder, root));
  if (others.length > 0) {
    return warn(
      `${type} device ${named} is open in ${others.join(", ")}`,
      "stop it (minicom, screen, a getty, a second timeclock): the reader cannot share the device",
    );
  }
  const service =
    holders.length > 0 ? `; open in the running timeclock (${holders.join(", ")})` : "";
  return ok(`${type} device ${named} is present and usable by this user${service}`);
}

export const readerCheck: Check = {
  name: "reader device",
  needs: ["config"],
  run(deps, state) {
    const reader = loadedOf(state).config.reader;
    if (reader.type === "stdin") {
      return ok(
        'reader.type is "stdin": badges are read from standard input, so there is no device to check',
      );
    }
    if (reader.type === "wiegand") {
      const chip = `/dev/${reader.chip}`;
      if (!existsSync(join(deps.fsRoot, chip))) {
        return fail(
          `Wiegand chip ${chip} (reader.chip) does not exist`,
          "run gpiodetect to list the chips and set reader.chip to the one of the 40-pin header",
        );
      }
      if (!canAccess(join(deps.fsRoot, chip), constants.R_OK | constants.W_OK)) {
        return refusedAccess(`Wiegand chip ${chip}`, chip, deps.fsRoot, "gpio");
      }
      return ok(`Wiegand reader on ${chip}, D0 line ${reader.d0}, D1 line ${reader.d1}`);
    }
    return devicePathCheck(reader, deps.fsRoot);
  },
};

function configuredPins(feedback: FeedbackConfig): { key: string; bcm: number }[] {
  const outputs = (["green", "red", "buzzer", "amber"] as const).flatMap((name) => {
    const output = feedback[name];
    return output ? [{ key: `feedback.${name}`, bcm: output.bcm }] : [];
  });
  const keys = feedback.keys.map((key, index) => ({
    key: `feedback.keys[${index}] (${key.name})`,
    bcm: key.bcm,
  }));
  return [...outputs, ...keys];
}

export const gpioCheck: Check = {
  name: "GPIO lines",
  needs: ["config"],
  async run(deps, state) {
    const { feedback } = loadedOf(state).config;
    if (feedback.backend === "none") {
      return ok('feedback.backend is "none": LEDs, buzzer and keys are only logged');
    }
    if (feedback.backend === "sysfs" && !hasSysfsExport(deps.fsRoot)) {
      return fail(
        'feedback.backend is "sysfs", but this kernel has no /sys/class/gpio/export',
        'set feedback.backend to "gpiod" and install libgpiod\'s tools: sudo apt-get install gpiod',
      );
    }
    const pins = configuredPins(feedback);
    if (pins.length === 0) return ok("no LEDs, buzzer or keys are configured");
    const chips = await deps.scanChips();
    const resolved: string[] = [];
    const problems: string[] = [];
    const locked: string[] = [];
    for (const pin of pins) {
      try {
        const line = resolvePin(pin.bcm, chips);
        resolved.push(`${pin.key}: ${describePin(line)}`);
        if (
          feedback.backend !== "sysfs" &&
          line.devPath !== undefined &&
          !canAccess(join(deps.fsRoot, line.devPath), constants.R_OK | constants.W_OK)
        ) {
          if (!locked.includes(line.devPath)) locked.push(line.devPath);
        }
      } catch (error) {
        if (!(error instanceof PinResolutionError)) throw error;
        problems.push(`${pin.key}: ${error.message}`);
      }
    }
    if (problems.length > 0) {
      return fail(
        problems.join(" "),
        'check the BCM numbers in feedback (gpioinfo lists the lines); on a machine without GPIO set feedback.backend to "none"',
      );
    }
    const [firstLocked] = locked;
    if (firstLocked !== undefined) {
      return refusedAccess(`GPIO chip ${firstLocked}`, firstLocked, deps.fsRoot, "gpio");
    }
    return ok(`feedback.backend "${feedback.backend}": ${resolved.join("; ")}`);
  },
};
