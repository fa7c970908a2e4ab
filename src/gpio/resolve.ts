/**
 * Which chip and line carry a BCM GPIO number on this Pi. Kernels renumber GPIOs (6.6 moved the
 * bcm2711's sysfs base from 0 to 512; the Pi 5's RP1 went from gpiochip4 to gpiochip0), so the chip
 * is found by what it is, never by a number: a line named GPIO<n>, the pin controller's label, or
 * its device-tree compatible string. Pure: the facts come from `scanGpioChips`.
 */

/** What is known about one GPIO chip; any part may be missing depending on kernel and tools. */
export interface ChipFacts {
  /** Character-device name such as "gpiochip0"; undefined if only a legacy sysfs entry was seen. */
  name: string | undefined;
  /** "/dev/gpiochip0" when that device exists. */
  devPath: string | undefined;
  label: string | undefined;
  compatible: string[];
  /** First global sysfs GPIO number of the chip (legacy /sys/class/gpio only). */
  base: number | undefined;
  ngpio: number | undefined;
  /** Line names by offset (from gpioinfo). */
  lineNames: (string | undefined)[] | undefined;
}

/** Labels of the pin controllers that drive the 40-pin header: Pi 1–3, Pi 4 / 400, Pi 5 / 500. */
export const HEADER_LABELS = ["pinctrl-bcm2835", "pinctrl-bcm2711", "pinctrl-rp1"] as const;
export const HEADER_COMPATIBLES = [
  "brcm,bcm2835-gpio",
  "brcm,bcm2711-gpio",
  "raspberrypi,rp1-gpio",
] as const;

export type MatchedBy = "line name" | "label" | "compatible";

export interface ResolvedPin {
  bcm: number;
  /** Chip name for libgpiod ("gpiochip0"); undefined when only legacy sysfs knows the chip. */
  chip: string | undefined;
  devPath: string | undefined;
  offset: number;
  /** Number to export under /sys/class/gpio (base + offset); undefined without legacy sysfs. */
  sysfsNumber: number | undefined;
  label: string | undefined;
  matchedBy: MatchedBy;
}

export class PinResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PinResolutionError";
  }
}

export function describeChip(chip: ChipFacts): string {
  const name = chip.name ?? (chip.base === undefined ? "unnamed chip" : `sysfs base ${chip.base}`);
  const label = chip.label ? ` [${chip.label}]` : "";
  const lines = chip.ngpio === undefined ? "" : ` (${chip.ngpio} lines)`;
  return `${name}${label}${lines}`;
}

export function describePin(pin: ResolvedPin): string {
  const chip = pin.chip ?? "the legacy sysfs chip";
  const label = pin.label ? ` [${pin.label}]` : "";
  const sysfs = pin.sysfsNumber === undefined ? "" : `, sysfs GPIO ${pin.sysfsNumber}`;
  return `BCM ${pin.bcm} = ${chip}${label} line ${pin.offset}${sysfs} (found by ${pin.matchedBy})`;
}

function offsetByName(chip: ChipFacts, bcm: number): number | undefined {
  const index = chip.lineNames?.indexOf(`GPIO${bcm}`) ?? -1;
  return index >= 0 ? index : undefined;
}

function matchOf(chip: ChipFacts, bcm: number): { by: MatchedBy; offset: number } | undefined {
  const named = offsetByName(chip, bcm);
  if (named !== undefined) return { by: "line name", offset: named };
  // On every header controller the line offset is the BCM number.
  if (chip.label && (HEADER_LABELS as readonly string[]).includes(chip.label)) {
    return { by: "label", offset: bcm };
  }
  if (chip.compatible.some((c) => (HEADER_COMPATIBLES as readonly string[]).includes(c))) {
    return { by: "compatible", offset: bcm };
  }
  return undefined;
}

const STRENGTH: Record<MatchedBy, number> = { "line name": 0, label: 1, compatible: 2 };

/** The header chip and line of a BCM number, or a PinResolutionError listing the chips found. */
export function resolvePin(bcm: number, chips: readonly ChipFacts[]): ResolvedPin {
  if (chips.length === 0) {
    throw new PinResolutionError(
      `cannot resolve BCM ${bcm}: no GPIO chips found (looked in /sys/class/gpio, /sys/bus/gpio/devices and /dev/gpiochip*). On a Raspberry Pi check that /sys is mounted and the service may read /dev/gpiochip*; elsewhere set feedback.backend to "none".`,
    );
  }
  const candidates = chips
    .map((chip) => ({ chip, match: matchOf(chip, bcm) }))
    .filter((c): c is { chip: ChipFacts; match: NonNullable<typeof c.match> } => !!c.match)
    .sort((a, b) => STRENGTH[a.match.by] - STRENGTH[b.match.by]);
  const best = candidates[0];
  if (!best) {
    throw new PinResolutionError(
      `cannot resolve BCM ${bcm}: no chip has a line named GPIO${bcm}, the label ${HEADER_LABELS.join(", ")} or the compatible ${HEADER_COMPATIBLES.join(", ")}. Chips found: ${chips.map(describeChip).join("; ")}. Is this a Raspberry Pi? Set feedback.backend to "none" to run without GPIO.`,
    );
  }
  const { chip, match } = best;
  if (chip.ngpio !== undefined && match.offset >= chip.ngpio) {
    throw new PinResolutionError(
      `cannot resolve BCM ${bcm}: ${describeChip(chip)} has lines 0 to ${chip.ngpio - 1} only. Choose a BCM number from 0 to 27.`,
    );
  }
  return {
    bcm,
    chip: chip.name,
    devPath: chip.devPath,
    offset: match.offset,
    sysfsNumber: chip.base === undefined ? undefined : chip.base + match.offset,
    label: chip.label,
    matchedBy: match.by,
  };
}
