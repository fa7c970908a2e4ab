import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/**
 * Fake /sys and /dev trees laid out as the kernels of real Pis lay them out: the character device
 * under its platform device, /sys/bus/gpio/devices and /sys/class/gpio entries as symlinks.
 */

export interface FakeChip {
  name: string;
  /** Platform device directory under /sys/devices, e.g. "platform/soc/fe200000.gpio". */
  parent: string;
  compatible: string;
  label: string;
  ngpio: number;
  /** Legacy sysfs base; undefined when the kernel has no CONFIG_GPIO_SYSFS entry for it. */
  base?: number;
}

export interface FakeTreeOptions {
  chips: FakeChip[];
  /** Whether /sys/class/gpio (export, gpiochipN entries) exists. */
  legacySysfs: boolean;
  /** Old kernels linked the class entry to the platform device instead of gpiochipN. */
  classLinksToPlatform?: boolean;
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(relative(dirname(path), target), path);
}

export function makeFakeTree(options: FakeTreeOptions): string {
  const root = mkdtempSync(join(tmpdir(), "timeclock-gpio-tree-"));
  mkdirSync(join(root, "dev"), { recursive: true });
  for (const chip of options.chips) {
    const platform = join(root, "sys/devices", chip.parent);
    write(join(platform, "of_node/compatible"), `${chip.compatible}\0`);
    const device = join(platform, chip.name);
    write(join(device, "dev"), "254:0\n");
    link(device, join(root, "sys/bus/gpio/devices", chip.name));
    write(join(root, "dev", chip.name), "");
    if (options.legacySysfs && chip.base !== undefined) {
      const entry = join(device, "gpio", `gpiochip${chip.base}`);
      write(join(entry, "base"), `${chip.base}\n`);
      write(join(entry, "label"), `${chip.label}\n`);
      write(join(entry, "ngpio"), `${chip.ngpio}\n`);
      link(options.classLinksToPlatform ? platform : device, join(entry, "device"));
      link(entry, join(root, "sys/class/gpio", `gpiochip${chip.base}`));
    }
  }
  if (options.legacySysfs) {
    write(join(root, "sys/class/gpio/export"), "");
    write(join(root, "sys/class/gpio/unexport"), "");
  }
  return root;
}

const bcm2711 = {
  parent: "platform/soc/fe200000.gpio",
  compatible: "brcm,bcm2711-gpio",
  label: "pinctrl-bcm2711",
  ngpio: 58,
};
const bcm2835 = {
  parent: "platform/soc/3f200000.gpio",
  compatible: "brcm,bcm2835-gpio",
  label: "pinctrl-bcm2835",
  ngpio: 54,
};
const expander = {
  parent: "platform/soc/soc:firmware/soc:firmware:gpio",
  compatible: "raspberrypi,firmware-gpio",
  label: "raspberrypi-exp-gpio",
  ngpio: 8,
};
const rp1 = {
  parent: "platform/axi/1000120000.pcie/1f000d0000.gpio",
  compatible: "raspberrypi,rp1-gpio",
  label: "pinctrl-rp1",
  ngpio: 54,
};
const brcmstb = (address: string, ngpio: number) => ({
  parent: `platform/soc/107d508500.gpio/${address}`,
  compatible: "brcm,brcmstb-gpio",
  label: `gpio-brcmstb@${address}`,
  ngpio,
});

/** Pi 3 on kernel 5.15: the header chip still starts at sysfs 0. */
export const PI3_5_15: FakeChip[] = [
  { name: "gpiochip0", ...bcm2835, base: 0 },
  { name: "gpiochip1", ...expander, base: 504 },
];

/** Pi 4 on kernel 6.6+: sysfs numbers start at 512, so GPIO17 is 529. */
export const PI4_6_6: FakeChip[] = [
  { name: "gpiochip0", ...bcm2711, base: 512 },
  { name: "gpiochip1", ...expander, base: 570 },
];

/** Pi 5 on early 6.6 kernels: RP1 is gpiochip4, after the four brcmstb chips. */
export const PI5_RP1_GPIOCHIP4: FakeChip[] = [
  { name: "gpiochip0", ...brcmstb("107d508500", 32), base: 512 },
  { name: "gpiochip1", ...brcmstb("107d508540", 4), base: 544 },
  { name: "gpiochip2", ...brcmstb("107d517c00", 17), base: 548 },
  { name: "gpiochip3", ...brcmstb("107d517c20", 6), base: 565 },
  { name: "gpiochip4", ...rp1, base: 571 },
];

/** Pi 5 on later kernels: RP1 is gpiochip0, the brcmstb chips moved to gpiochip10 and up. */
export const PI5_RP1_GPIOCHIP0: FakeChip[] = [
  { name: "gpiochip0", ...rp1, base: 571 },
  { name: "gpiochip10", ...brcmstb("107d508500", 32), base: 512 },
  { name: "gpiochip11", ...brcmstb("107d508540", 4), base: 544 },
  { name: "gpiochip12", ...brcmstb("107d517c00", 17), base: 548 },
  { name: "gpiochip13", ...brcmstb("107d517c20", 6), base: 565 },
];

/** A PC with an Intel GPIO controller: nothing there is a Pi header. */
export const PC: FakeChip[] = [
  {
    name: "gpiochip0",
    parent: "platform/INT34C5:00",
    compatible: "",
    label: "INT34C5:00",
    ngpio: 360,
    base: 512,
  },
];

/** gpioinfo v1 (libgpiod 1.6) listing of a Pi 5's RP1 chip, abridged. */
export function gpioinfoV1(chip: string, lines: number, namedUpTo: number): string {
  const rows = Array.from({ length: lines }, (_, offset) => {
    const name = offset <= namedUpTo ? `"GPIO${offset}"` : "unnamed";
    return `\tline ${String(offset).padStart(3)}:      ${name.padEnd(10)}       unused   input  active-high `;
  });
  return [`${chip} - ${lines} lines:`, ...rows].join("\n");
}

/** gpioinfo v2 (libgpiod 2.x) listing. */
export function gpioinfoV2(chip: string, lines: number, namedUpTo: number): string {
  const rows = Array.from({ length: lines }, (_, offset) => {
    const name = offset <= namedUpTo ? `"GPIO${offset}"` : "unnamed";
    return `\tline ${String(offset).padStart(3)}:\t${name.padEnd(16)}\tinput`;
  });
  return [`${chip} - ${lines} lines:`, ...rows].join("\n");
}
