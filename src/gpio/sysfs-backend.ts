import { createRequire } from "node:module";
import type { Logger } from "../core/logger.js";
import {
  errorOf,
  type GpioBackend,
  type GpioInput,
  type GpioOutput,
  type InputRequest,
  levelOf,
  type OutputRequest,
} from "./backend.js";
import type { ResolvedPin } from "./resolve.js";

/**
 * GPIO through the legacy /sys/class/gpio interface with onoff. onoff always writes to the real
 * /sys/class/gpio, so tests hand in a stand-in for its Gpio class instead of a fake tree.
 */

type Level = 0 | 1;
type ValueCallback = (error: Error | null | undefined, value: Level) => void;

/** The part of onoff's Gpio this backend uses. */
export interface SysfsLine {
  writeSync(value: Level): void;
  watch(callback: ValueCallback): void;
  unwatchAll(): void;
  unexport(): void;
}

export interface SysfsGpioClass {
  new (
    gpio: number,
    direction: "in" | "out" | "high" | "low",
    edge?: "none" | "rising" | "falling" | "both",
    options?: { activeLow?: boolean },
  ): SysfsLine;
  readonly accessible: boolean;
}

export class SysfsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SysfsUnavailableError";
  }
}

/** onoff loads a native module (epoll), so it is required only when the sysfs backend is chosen. */
export function loadOnoff(): SysfsGpioClass {
  const require = createRequire(import.meta.url);
  return (require("onoff") as { Gpio: SysfsGpioClass }).Gpio;
}

function sysfsNumberOf(pin: ResolvedPin, name: string): number {
  if (pin.sysfsNumber === undefined) {
    throw new SysfsUnavailableError(
      `the ${name} pin BCM ${pin.bcm} has no legacy sysfs number (no /sys/class/gpio/gpiochip* entry for ${pin.chip ?? "its chip"}); use feedback.backend "gpiod"`,
    );
  }
  return pin.sysfsNumber;
}

function openLine(
  Gpio: SysfsGpioClass,
  pin: ResolvedPin,
  name: string,
  open: (number: number) => SysfsLine,
): SysfsLine {
  const number = sysfsNumberOf(pin, name);
  try {
    return open(number);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? errorOf(error).message;
    const access = Gpio.accessible
      ? ""
      : " /sys/class/gpio/export is not writable by this user: add it to the gpio group.";
    throw new Error(
      `cannot export GPIO ${number} (BCM ${pin.bcm}, ${name}) under /sys/class/gpio: ${reason}.${access} If another program holds the pin, stop it or choose another pin.`,
    );
  }
}

export class SysfsBackend implements GpioBackend {
  readonly name = "sysfs" as const;
  readonly detail = "legacy sysfs /sys/class/gpio (onoff)";

  constructor(
    private readonly Gpio: SysfsGpioClass,
    private readonly logger: Logger,
  ) {}

  openOutput(request: OutputRequest): GpioOutput {
    const off = levelOf(false, request.activeLow);
    // Starting with "high"/"low" sets the direction and the off level in one step: no glitch.
    const line = openLine(this.Gpio, request.pin, request.name, (number) => {
      this.logger.debug({ output: request.name, gpio: number }, "exporting sysfs GPIO output");
      return new this.Gpio(number, off ? "high" : "low", "none", { activeLow: false });
    });
    let open = true;
    return {
      write: (on) => {
        if (open) line.writeSync(levelOf(on, request.activeLow));
      },
      close: async () => {
        if (!open) return;
        open = false;
        try {
          line.writeSync(off);
        } finally {
          line.unexport();
        }
      },
    };
  }

  openInput(request: InputRequest): GpioInput {
    const line = openLine(this.Gpio, request.pin, request.name, (number) => {
      this.logger.debug({ input: request.name, gpio: number }, "exporting sysfs GPIO input");
      return new this.Gpio(number, "in", "both", { activeLow: false });
    });
    let open = true;
    line.watch((error, value) => {
      if (!open) return;
      if (error) request.onFault(errorOf(error));
      else request.onChange((value === 1) !== request.activeLow);
    });
    return {
      close: async () => {
        if (!open) return;
        open = false;
        line.unwatchAll();
        line.unexport();
      },
    };
  }
}
