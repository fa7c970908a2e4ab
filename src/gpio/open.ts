import { spawn as nodeSpawn } from "node:child_process";
import type { Logger } from "../core/logger.js";
import type { GpioBackend } from "./backend.js";
import { hasSysfsExport, scanGpioChips } from "./chips.js";
import { createGpiodBackend } from "./gpiod-backend.js";
import type { ChipFacts } from "./resolve.js";
import { runTool, type SpawnFn } from "./run-tool.js";
import {
  loadOnoff,
  SysfsBackend,
  type SysfsGpioClass,
  SysfsUnavailableError,
} from "./sysfs-backend.js";

/** Picks and opens the GPIO backend the config asks for, and learns the chips to resolve pins on. */

export type BackendKind = "auto" | "sysfs" | "gpiod";

export interface GpioDeps {
  logger: Logger;
  /** "/" on the Pi; a fake sysfs and /dev tree in tests. */
  fsRoot?: string | undefined;
  spawn?: SpawnFn | undefined;
  /** onoff's Gpio class or a stand-in; loaded on demand by default. */
  loadSysfs?: (() => SysfsGpioClass) | undefined;
  /** An already opened backend (tests, or sharing one between feedback and keys). */
  backend?: GpioBackend | undefined;
}

export interface OpenedGpio {
  /** undefined when `auto` found no usable way to GPIO; the reason is in `problem`. */
  backend: GpioBackend | undefined;
  chips: ChipFacts[];
  problem: string | undefined;
}

function openSysfs(deps: GpioDeps, fsRoot: string): SysfsBackend {
  if (!hasSysfsExport(fsRoot)) {
    throw new SysfsUnavailableError(
      'this kernel has no legacy sysfs GPIO (/sys/class/gpio/export is missing); use feedback.backend "gpiod" and install libgpiod\'s tools (apt-get install gpiod)',
    );
  }
  let Gpio: SysfsGpioClass;
  try {
    Gpio = (deps.loadSysfs ?? loadOnoff)();
  } catch (error) {
    throw new SysfsUnavailableError(
      `the onoff module cannot be loaded (${(error as Error).message}); reinstall with npm ci on the Pi, or use feedback.backend "gpiod"`,
    );
  }
  if (!Gpio.accessible) {
    throw new SysfsUnavailableError(
      '/sys/class/gpio/export is not writable by this user; add the user to the gpio group (see hardware/README.md), or use feedback.backend "gpiod"',
    );
  }
  return new SysfsBackend(Gpio, deps.logger);
}

/** The GPIO chips under `fsRoot`, with labels and line names from libgpiod's tools when installed. */
export async function discoverChips(fsRoot: string, spawn: SpawnFn): Promise<ChipFacts[]> {
  const [detected, listed] = await Promise.all([
    runTool(spawn, "gpiodetect", []),
    runTool(spawn, "gpioinfo", []),
  ]);
  return scanGpioChips({
    fsRoot,
    gpiodetectOutput: detected?.stdout,
    gpioinfoOutput: listed?.stdout,
  });
}

export async function openGpio(kind: BackendKind, deps: GpioDeps): Promise<OpenedGpio> {
  const fsRoot = deps.fsRoot ?? "/";
  const spawn = deps.spawn ?? nodeSpawn;
  const chips = await discoverChips(fsRoot, spawn);
  if (deps.backend) return { backend: deps.backend, chips, problem: undefined };
  if (kind === "sysfs") return { backend: openSysfs(deps, fsRoot), chips, problem: undefined };
  if (kind === "gpiod") {
    return { backend: await createGpiodBackend(spawn, deps.logger), chips, problem: undefined };
  }
  const problems: string[] = [];
  try {
    return { backend: openSysfs(deps, fsRoot), chips, problem: undefined };
  } catch (error) {
    problems.push(`sysfs: ${(error as Error).message}`);
  }
  try {
    return { backend: await createGpiodBackend(spawn, deps.logger), chips, problem: undefined };
  } catch (error) {
    problems.push(`gpiod: ${(error as Error).message}`);
  }
  return {
    backend: undefined,
    chips,
    problem: `no usable GPIO backend, LEDs, buzzer and keys stay off. ${problems.join(" ")}`,
  };
}
