import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { scanGpioChips } from "../../src/gpio/chips.js";
import { openGpio } from "../../src/gpio/open.js";
import { resolvePin } from "../../src/gpio/resolve.js";
import {
  loadOnoff,
  SysfsBackend,
  type SysfsGpioClass,
  type SysfsLine,
  SysfsUnavailableError,
} from "../../src/gpio/sysfs-backend.js";
import { fakeSpawn, gpiodTools, noTools } from "./fake-spawn.js";
import { makeFakeTree, PI4_6_6, PI5_RP1_GPIOCHIP4 } from "./fake-trees.js";

/**
 * onoff hard-codes /sys/class/gpio, so it cannot be pointed at a fake tree. These tests check what
 * this project adds around it (the number it exports, levels, active-low, errors) with a stand-in
 * class that records the calls onoff would receive.
 */

type Call = [string, ...unknown[]];

function standInOnoff(options: { accessible?: boolean; refuse?: NodeJS.ErrnoException } = {}) {
  const calls: Call[] = [];
  let watcher: ((error: Error | null | undefined, value: 0 | 1) => void) | undefined;
  class StandIn implements SysfsLine {
    static readonly accessible = options.accessible ?? true;
    constructor(gpio: number, direction: string, edge?: string, opts?: object) {
      if (options.refuse) throw options.refuse;
      calls.push(["new", gpio, direction, edge, opts]);
    }
    writeSync(value: 0 | 1) {
      calls.push(["writeSync", value]);
    }
    watch(callback: typeof watcher) {
      watcher = callback;
    }
    unwatchAll() {
      calls.push(["unwatchAll"]);
    }
    unexport() {
      calls.push(["unexport"]);
    }
  }
  return {
    Gpio: StandIn as SysfsGpioClass,
    calls,
    emit: (error: Error | null, value: 0 | 1) => watcher?.(error, value),
  };
}

const pi4Chips = () =>
  scanGpioChips({ fsRoot: makeFakeTree({ chips: PI4_6_6, legacySysfs: true }) });

describe("sysfs backend (onoff)", () => {
  it("exports the resolved global number, 529 for BCM 17 on a Pi 4 with kernel 6.6", async () => {
    const onoff = standInOnoff();
    const backend = new SysfsBackend(onoff.Gpio, silentLogger());
    const output = backend.openOutput({
      name: "green",
      pin: resolvePin(17, pi4Chips()),
      activeLow: false,
      onFault: () => {},
    });
    output.write(true);
    output.write(false);
    await output.close();
    expect(onoff.calls).toEqual([
      ["new", 529, "low", "none", { activeLow: false }],
      ["writeSync", 1],
      ["writeSync", 0],
      ["writeSync", 0],
      ["unexport"],
    ]);
  });

  it("starts an active-low output high, so that it is off from the first moment", () => {
    const onoff = standInOnoff();
    const output = new SysfsBackend(onoff.Gpio, silentLogger()).openOutput({
      name: "red",
      pin: resolvePin(27, pi4Chips()),
      activeLow: true,
      onFault: () => {},
    });
    output.write(true);
    expect(onoff.calls).toEqual([
      ["new", 539, "high", "none", { activeLow: false }],
      ["writeSync", 0],
    ]);
  });

  it("turns input edges into logical levels and reports watch errors as faults", async () => {
    const onoff = standInOnoff();
    const seen: unknown[] = [];
    const input = new SysfsBackend(onoff.Gpio, silentLogger()).openInput({
      name: "key in",
      pin: resolvePin(5, pi4Chips()),
      activeLow: true,
      onChange: (active) => seen.push(active),
      onFault: (error) => seen.push(error.message),
    });
    onoff.emit(null, 0);
    onoff.emit(null, 1);
    onoff.emit(new Error("EIO"), 0);
    await input.close();
    onoff.emit(null, 0);
    expect(seen).toEqual([true, false, "EIO"]);
    expect(onoff.calls).toEqual([
      ["new", 517, "in", "both", { activeLow: false }],
      ["unwatchAll"],
      ["unexport"],
    ]);
  });

  it("names the number, the pin and the cause when the export fails", () => {
    const busy = Object.assign(new Error("EBUSY: resource busy"), { code: "EBUSY" });
    const onoff = standInOnoff({ refuse: busy });
    const backend = new SysfsBackend(onoff.Gpio, silentLogger());
    expect(() =>
      backend.openOutput({
        name: "buzzer",
        pin: resolvePin(22, pi4Chips()),
        activeLow: false,
        onFault: () => {},
      }),
    ).toThrow(
      "cannot export GPIO 534 (BCM 22, buzzer) under /sys/class/gpio: EBUSY. If another program holds the pin",
    );
  });

  // On a Pi this would drive a real pin, so it runs only where there is no sysfs GPIO at all.
  it.skipIf(existsSync("/sys/class/gpio"))(
    "with the real onoff and no /sys/class/gpio, fails with the export error",
    () => {
      const backend = new SysfsBackend(loadOnoff(), silentLogger());
      expect(() =>
        backend.openOutput({
          name: "green",
          pin: resolvePin(17, pi4Chips()),
          activeLow: false,
          onFault: () => {},
        }),
      ).toThrow(
        /^cannot export GPIO 529 \(BCM 17, green\) under \/sys\/class\/gpio: (ENOENT|EACCES)\. \/sys\/class\/gpio\/export is not writable by this user/,
      );
    },
  );

  it("refuses a pin without a legacy sysfs number", () => {
    const chips = scanGpioChips({
      fsRoot: makeFakeTree({ chips: PI5_RP1_GPIOCHIP4, legacySysfs: false }),
    });
    const backend = new SysfsBackend(standInOnoff().Gpio, silentLogger());
    expect(() =>
      backend.openOutput({
        name: "green",
        pin: resolvePin(17, chips),
        activeLow: false,
        onFault: () => {},
      }),
    ).toThrow(/has no legacy sysfs number .* use feedback.backend "gpiod"/);
  });
});

describe("openGpio picks a backend", () => {
  const logger = silentLogger();

  it("auto takes sysfs when /sys/class/gpio/export exists and is writable", async () => {
    const fsRoot = makeFakeTree({ chips: PI4_6_6, legacySysfs: true });
    const opened = await openGpio("auto", {
      logger,
      fsRoot,
      spawn: fakeSpawn(noTools).spawn,
      loadSysfs: () => standInOnoff().Gpio,
    });
    expect(opened.backend?.name).toBe("sysfs");
    expect(opened.chips.map((chip) => chip.name)).toEqual(["gpiochip0", "gpiochip1"]);
  });

  it("auto falls back to gpiod when the export file is not writable", async () => {
    const fsRoot = makeFakeTree({ chips: PI4_6_6, legacySysfs: true });
    const opened = await openGpio("auto", {
      logger,
      fsRoot,
      spawn: fakeSpawn(gpiodTools("gpioset (libgpiod) v1.6.3")).spawn,
      loadSysfs: () => standInOnoff({ accessible: false }).Gpio,
    });
    expect(opened.backend?.detail).toBe("libgpiod tools v1.6.3");
  });

  it("auto takes gpiod on a kernel without legacy sysfs and learns line names from gpioinfo", async () => {
    const fsRoot = makeFakeTree({ chips: PI5_RP1_GPIOCHIP4, legacySysfs: false });
    const { spawn } = fakeSpawn((child) => {
      if (child.command === "gpioinfo")
        child.finish('gpiochip4 - 2 lines:\n\tline   0:\t"GPIO0"\tinput\n');
      else gpiodTools("gpioset (libgpiod) v2.1.3")(child);
    });
    const opened = await openGpio("auto", { logger, fsRoot, spawn });
    expect(opened.backend?.name).toBe("gpiod");
    expect(opened.chips.find((chip) => chip.name === "gpiochip4")?.lineNames).toEqual(["GPIO0"]);
  });

  it("auto ends with no backend and both reasons when neither works", async () => {
    const fsRoot = makeFakeTree({ chips: PI5_RP1_GPIOCHIP4, legacySysfs: false });
    const opened = await openGpio("auto", { logger, fsRoot, spawn: fakeSpawn(noTools).spawn });
    expect(opened.backend).toBeUndefined();
    expect(opened.problem).toMatch(
      /sysfs: this kernel has no legacy sysfs GPIO.*gpiod: gpioset is not installed/,
    );
  });

  it("an explicit sysfs backend fails loudly when the kernel has none", async () => {
    const fsRoot = makeFakeTree({ chips: PI5_RP1_GPIOCHIP4, legacySysfs: false });
    await expect(
      openGpio("sysfs", { logger, fsRoot, spawn: fakeSpawn(noTools).spawn }),
    ).rejects.toThrow(SysfsUnavailableError);
  });
});
