import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseGpiodetect, parseGpioinfo } from "./gpiod-text.js";
import type { ChipFacts } from "./resolve.js";

/**
 * Collects what the kernel tells about GPIO chips under `fsRoot` ("/" on the Pi, a fake tree in
 * tests), plus what libgpiod's gpiodetect and gpioinfo printed when they are installed.
 */

export interface ChipScanInput {
  fsRoot: string;
  gpiodetectOutput?: string | undefined;
  gpioinfoOutput?: string | undefined;
}

const CHIP_NAME = /^gpiochip\d+$/;

function listChips(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((entry) => CHIP_NAME.test(entry))
      .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)));
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

function readInt(path: string): number | undefined {
  const text = readText(path);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function resolveLink(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Device-tree compatible strings are NUL-separated. */
function readCompatible(deviceDir: string | undefined): string[] {
  if (!deviceDir) return [];
  for (const path of [
    join(deviceDir, "of_node/compatible"),
    join(dirname(deviceDir), "of_node/compatible"),
  ]) {
    const text = readText(path);
    if (text) return text.split("\0").filter(Boolean);
  }
  return [];
}

function emptyChip(name: string | undefined): ChipFacts {
  return {
    name,
    devPath: undefined,
    label: undefined,
    compatible: [],
    base: undefined,
    ngpio: undefined,
    lineNames: undefined,
  };
}

export function scanGpioChips(input: ChipScanInput): ChipFacts[] {
  const { fsRoot } = input;
  const byName = new Map<string, ChipFacts>();
  const named = (name: string): ChipFacts => {
    let chip = byName.get(name);
    if (!chip) {
      chip = emptyChip(name);
      byName.set(name, chip);
    }
    return chip;
  };

  for (const name of listChips(join(fsRoot, "dev"))) named(name).devPath = `/dev/${name}`;

  const busDir = join(fsRoot, "sys/bus/gpio/devices");
  const platformOf = new Map<string, ChipFacts>();
  for (const name of listChips(busDir)) {
    const chip = named(name);
    const device = resolveLink(join(busDir, name));
    chip.compatible = readCompatible(device);
    if (device) platformOf.set(dirname(device), chip);
  }

  const unnamed: ChipFacts[] = [];
  const classDir = join(fsRoot, "sys/class/gpio");
  for (const entry of listChips(classDir)) {
    const entryDir = join(classDir, entry);
    // Since Linux 4.8 the class entry's parent device is the character device's gpiochipN.
    const device = resolveLink(join(entryDir, "device"));
    const deviceName = device && CHIP_NAME.test(basename(device)) ? basename(device) : undefined;
    // Older kernels linked it to the platform device that also parents the gpiochipN.
    const chip =
      (deviceName ? named(deviceName) : device && platformOf.get(device)) || emptyChip(undefined);
    if (!chip.name) unnamed.push(chip);
    chip.base = readInt(join(entryDir, "base"));
    chip.ngpio = readInt(join(entryDir, "ngpio"));
    chip.label = readText(join(entryDir, "label")) ?? chip.label;
    if (chip.compatible.length === 0) chip.compatible = readCompatible(device);
  }

  for (const detected of parseGpiodetect(input.gpiodetectOutput ?? "")) {
    const chip = named(detected.name);
    chip.label ??= detected.label;
    chip.ngpio ??= detected.lines;
  }
  for (const listed of parseGpioinfo(input.gpioinfoOutput ?? "")) {
    const chip = named(listed.name);
    chip.ngpio ??= listed.lines;
    chip.lineNames = listed.names;
  }

  // An old kernel's sysfs entry without a device link still pairs with the one chip of its label.
  for (const orphan of unnamed) {
    const twins = [...byName.values()].filter((c) => c.label && c.label === orphan.label);
    const twin = twins.length === 1 ? twins[0] : undefined;
    if (twin && twin.base === undefined) {
      twin.base = orphan.base;
      twin.ngpio ??= orphan.ngpio;
    } else byName.set(`sysfs:${orphan.base}`, orphan);
  }

  return [...byName.values()];
}

/** Whether the legacy sysfs interface is there to be written to. */
export function hasSysfsExport(fsRoot: string): boolean {
  return existsSync(join(fsRoot, "sys/class/gpio/export"));
}
