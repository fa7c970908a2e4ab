import { describe, expect, it } from "vitest";
import {
  gpiomonArgs,
  gpiosetArgs,
  parseGpiodetect,
  parseGpiodVersion,
  parseGpioinfo,
  parseGpiomonLine,
} from "../../src/gpio/gpiod-text.js";

const V1 = { major: 1, minor: 6, text: "v1.6.3" };
const V2 = { major: 2, minor: 1, text: "v2.1.3" };
const LINE = { chip: "gpiochip4", offset: 17, consumer: "timeclock" };

describe("libgpiod tool output", () => {
  it.each([
    ["gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski", V1],
    ["gpioset (libgpiod) v2.1.3\nCopyright (C) 2017-2023 Bartosz Golaszewski", V2],
    ["gpioset (libgpiod) v2.2-rc1", { major: 2, minor: 2, text: "v2.2-rc1" }],
    ["gpioset: command not found", undefined],
  ])("reads the version from %j", (output, expected) => {
    expect(parseGpiodVersion(output)).toEqual(expected);
  });

  it("reads gpiodetect's chips", () => {
    const output =
      "gpiochip0 [pinctrl-rp1] (54 lines)\ngpiochip10 [gpio-brcmstb@107d508500] (32 lines)\n";
    expect(parseGpiodetect(output)).toEqual([
      { name: "gpiochip0", label: "pinctrl-rp1", lines: 54 },
      { name: "gpiochip10", label: "gpio-brcmstb@107d508500", lines: 32 },
    ]);
  });

  it.each([
    [
      "v1",
      [
        "gpiochip0 - 4 lines:",
        '\tline   0:     "ID_SDA"       unused   input  active-high ',
        "\tline   1:      unnamed       unused   input  active-high ",
        '\tline   2:     "GPIO2"   "gpioset"  output  active-high [used]',
        '\tline   3:     "GPIO3"  "timeclock"  input  active-low [used]',
        "gpiochip1 - 1 lines:",
        '\tline   0:      "BT_ON"       unused  output  active-high ',
      ].join("\n"),
    ],
    [
      "v2",
      [
        "gpiochip0 - 4 lines:",
        '\tline   0:\t"ID_SDA"        \tinput',
        "\tline   1:\tunnamed         \tinput",
        '\tline   2:\t"GPIO2"         \toutput consumer="gpioset"',
        '\tline   3:\t"GPIO3"         \tinput active-low consumer="timeclock"',
        "gpiochip1 - 1 lines:",
        '\tline   0:\t"BT_ON"         \toutput',
      ].join("\n"),
    ],
  ])("reads gpioinfo %s line names", (_version, output) => {
    expect(parseGpioinfo(output)).toEqual([
      { name: "gpiochip0", lines: 4, names: ["ID_SDA", undefined, "GPIO2", "GPIO3"] },
      { name: "gpiochip1", lines: 1, names: ["BT_ON"] },
    ]);
  });

  it.each([
    ["1", "rising"],
    ["0", "falling"],
    ["rising", "rising"],
    ["falling\r", "falling"],
    ["", undefined],
    ["Monitoring line 'GPIO17'...", undefined],
  ])("reads the gpiomon line %j as %s", (line, expected) => {
    expect(parseGpiomonLine(line)).toBe(expected);
  });

  it.each([
    [V1, 1, ["--mode=signal", "gpiochip4", "17=1"]],
    [V1, 0, ["--mode=signal", "gpiochip4", "17=0"]],
    [V2, 1, ["--chip=gpiochip4", "--consumer=timeclock", "17=1"]],
  ] as const)("builds gpioset arguments for %j level %d", (version, level, expected) => {
    expect(gpiosetArgs(version, LINE, level)).toEqual(expected);
  });

  it.each([
    [V1, "pull-up", ["--line-buffered", "--bias=pull-up", "--format=%e", "gpiochip4", "17"]],
    [V1, "as-is", ["--line-buffered", "--format=%e", "gpiochip4", "17"]],
    [
      V2,
      "pull-up",
      ["--chip=gpiochip4", "--consumer=timeclock", "--bias=pull-up", "--format=%E", "17"],
    ],
  ] as const)("builds gpiomon arguments for %j with bias %s", (version, bias, expected) => {
    expect(gpiomonArgs(version, LINE, bias)).toEqual(expected);
  });
});
