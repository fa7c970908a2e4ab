import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanGpioChips } from "../../src/gpio/chips.js";
import { describePin, PinResolutionError, resolvePin } from "../../src/gpio/resolve.js";
import {
  gpioinfoV1,
  gpioinfoV2,
  makeFakeTree,
  PC,
  PI3_5_15,
  PI4_6_6,
  PI5_RP1_GPIOCHIP0,
  PI5_RP1_GPIOCHIP4,
} from "./fake-trees.js";

const PI5_DETECT_CHIP4 = [
  "gpiochip0 [gpio-brcmstb@107d508500] (32 lines)",
  "gpiochip1 [gpio-brcmstb@107d508540] (4 lines)",
  "gpiochip2 [gpio-brcmstb@107d517c00] (17 lines)",
  "gpiochip3 [gpio-brcmstb@107d517c20] (6 lines)",
  "gpiochip4 [pinctrl-rp1] (54 lines)",
].join("\n");

describe("resolvePin over fake sysfs and /dev trees", () => {
  it.each([
    {
      board: "Pi 3, kernel 5.15",
      tree: { chips: PI3_5_15, legacySysfs: true },
      tools: {},
      bcm: 17,
      expected: { chip: "gpiochip0", offset: 17, sysfsNumber: 17, matchedBy: "label" },
    },
    {
      board: "Pi 3, old kernel linking the sysfs entry to the platform device",
      tree: { chips: PI3_5_15, legacySysfs: true, classLinksToPlatform: true },
      tools: {},
      bcm: 4,
      expected: { chip: "gpiochip0", offset: 4, sysfsNumber: 4, matchedBy: "label" },
    },
    {
      board: "Pi 4, kernel 6.6 (base 512)",
      tree: { chips: PI4_6_6, legacySysfs: true },
      tools: {},
      bcm: 17,
      expected: { chip: "gpiochip0", offset: 17, sysfsNumber: 529, matchedBy: "label" },
    },
    {
      board: "Pi 4, kernel 6.6, gpioinfo v1 names the lines",
      tree: { chips: PI4_6_6, legacySysfs: true },
      tools: { gpioinfoOutput: gpioinfoV1("gpiochip0", 58, 27) },
      bcm: 27,
      expected: { chip: "gpiochip0", offset: 27, sysfsNumber: 539, matchedBy: "line name" },
    },
    {
      board: "Pi 5, RP1 as gpiochip4",
      tree: { chips: PI5_RP1_GPIOCHIP4, legacySysfs: true },
      tools: {},
      bcm: 17,
      expected: { chip: "gpiochip4", offset: 17, sysfsNumber: 588, matchedBy: "label" },
    },
    {
      board: "Pi 5, RP1 as gpiochip0",
      tree: { chips: PI5_RP1_GPIOCHIP0, legacySysfs: true },
      tools: {},
      bcm: 22,
      expected: { chip: "gpiochip0", offset: 22, sysfsNumber: 593, matchedBy: "label" },
    },
    {
      board: "Pi 5, RP1 as gpiochip4, no legacy sysfs: device-tree compatible",
      tree: { chips: PI5_RP1_GPIOCHIP4, legacySysfs: false },
      tools: {},
      bcm: 17,
      expected: { chip: "gpiochip4", offset: 17, sysfsNumber: undefined, matchedBy: "compatible" },
    },
    {
      board: "Pi 5, no legacy sysfs, gpiodetect gives labels",
      tree: { chips: PI5_RP1_GPIOCHIP4, legacySysfs: false },
      tools: { gpiodetectOutput: PI5_DETECT_CHIP4 },
      bcm: 23,
      expected: { chip: "gpiochip4", offset: 23, sysfsNumber: undefined, matchedBy: "label" },
    },
    {
      board: "Pi 5, RP1 as gpiochip0, no legacy sysfs, gpioinfo v2 names the lines",
      tree: { chips: PI5_RP1_GPIOCHIP0, legacySysfs: false },
      tools: { gpioinfoOutput: gpioinfoV2("gpiochip0", 54, 27) },
      bcm: 5,
      expected: { chip: "gpiochip0", offset: 5, sysfsNumber: undefined, matchedBy: "line name" },
    },
  ])("$board: BCM $bcm", ({ tree, tools, bcm, expected }) => {
    const chips = scanGpioChips({ fsRoot: makeFakeTree(tree), ...tools });
    const pin = resolvePin(bcm, chips);
    expect(pin).toMatchObject({ bcm, ...expected });
    expect(pin.devPath).toBe(`/dev/${expected.chip}`);
  });

  it("reads labels, bases and compatibles of every chip", () => {
    const chips = scanGpioChips({
      fsRoot: makeFakeTree({ chips: PI4_6_6, legacySysfs: true }),
    });
    expect(chips).toEqual([
      {
        name: "gpiochip0",
        devPath: "/dev/gpiochip0",
        label: "pinctrl-bcm2711",
        compatible: ["brcm,bcm2711-gpio"],
        base: 512,
        ngpio: 58,
        lineNames: undefined,
      },
      {
        name: "gpiochip1",
        devPath: "/dev/gpiochip1",
        label: "raspberrypi-exp-gpio",
        compatible: ["raspberrypi,firmware-gpio"],
        base: 570,
        ngpio: 8,
        lineNames: undefined,
      },
    ]);
  });

  it("describes a resolution for the log", () => {
    const chips = scanGpioChips({ fsRoot: makeFakeTree({ chips: PI4_6_6, legacySysfs: true }) });
    expect(describePin(resolvePin(17, chips))).toBe(
      "BCM 17 = gpiochip0 [pinctrl-bcm2711] line 17, sysfs GPIO 529 (found by label)",
    );
  });

  it("lists the chips it found when none is a Pi header", () => {
    const chips = scanGpioChips({ fsRoot: makeFakeTree({ chips: PC, legacySysfs: true }) });
    expect(() => resolvePin(17, chips)).toThrow(PinResolutionError);
    expect(() => resolvePin(17, chips)).toThrow(
      /cannot resolve BCM 17: no chip has a line named GPIO17.*Chips found: gpiochip0 \[INT34C5:00\] \(360 lines\)\. .*feedback\.backend to "none"/,
    );
  });

  it("says where it looked when there are no GPIO chips at all", () => {
    const empty = mkdtempSync(join(tmpdir(), "timeclock-gpio-empty-"));
    expect(() => resolvePin(17, scanGpioChips({ fsRoot: empty }))).toThrow(
      /no GPIO chips found \(looked in \/sys\/class\/gpio, \/sys\/bus\/gpio\/devices and \/dev\/gpiochip\*\)/,
    );
  });

  it("refuses a line beyond the chip's end", () => {
    const chips = [
      {
        name: "gpiochip0",
        devPath: "/dev/gpiochip0",
        label: "pinctrl-bcm2835",
        compatible: [],
        base: 0,
        ngpio: 10,
        lineNames: undefined,
      },
    ];
    expect(() => resolvePin(17, chips)).toThrow(
      "gpiochip0 [pinctrl-bcm2835] (10 lines) has lines 0 to 9 only",
    );
  });
});
