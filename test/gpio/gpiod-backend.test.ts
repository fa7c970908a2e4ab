import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import {
  createGpiodBackend,
  detectGpiodVersion,
  GpiodBackend,
  GpiodUnavailableError,
} from "../../src/gpio/gpiod-backend.js";
import type { ResolvedPin } from "../../src/gpio/resolve.js";
import { fakeSpawn, gpiodTools, noTools, settle } from "./fake-spawn.js";

const PIN: ResolvedPin = {
  bcm: 17,
  chip: "gpiochip4",
  devPath: "/dev/gpiochip4",
  offset: 17,
  sysfsNumber: undefined,
  label: "pinctrl-rp1",
  matchedBy: "label",
};
const V1 = "gpioset (libgpiod) v1.6.3";
const V2 = "gpioset (libgpiod) v2.1.3";

function argvOf(children: { command: string; args: string[] }[]): string[] {
  return children.map((child) => [child.command, ...child.args].join(" "));
}

async function backendWith(versionLine: string) {
  const tools = fakeSpawn(gpiodTools(versionLine));
  const backend = await createGpiodBackend(tools.spawn, silentLogger());
  tools.children.length = 0;
  return { backend, ...tools };
}

describe("gpiod backend (libgpiod command-line tools)", () => {
  it("detects v1 and v2 from gpioset --version", async () => {
    expect((await detectGpiodVersion(fakeSpawn(gpiodTools(V1)).spawn)).major).toBe(1);
    expect((await detectGpiodVersion(fakeSpawn(gpiodTools(V2)).spawn)).major).toBe(2);
  });

  it("says how to install the tools when gpioset is missing", async () => {
    const attempt = detectGpiodVersion(fakeSpawn(noTools).spawn);
    await expect(attempt).rejects.toThrow(GpiodUnavailableError);
    await expect(detectGpiodVersion(fakeSpawn(noTools).spawn)).rejects.toThrow(
      "apt-get install gpiod",
    );
  });

  it("holds each level with one v1 gpioset, replacing it only after the old one exited", async () => {
    const { backend, children } = await backendWith(V1);
    const faults: Error[] = [];
    const output = backend.openOutput({
      name: "green",
      pin: PIN,
      activeLow: false,
      onFault: (e) => faults.push(e),
    });
    expect(argvOf(children)).toEqual(["gpioset --mode=signal gpiochip4 17=0"]);

    output.write(true);
    expect(children).toHaveLength(1);
    expect(children[0]?.killSignals).toEqual(["SIGTERM"]);
    await settle();
    expect(argvOf(children)).toEqual([
      "gpioset --mode=signal gpiochip4 17=0",
      "gpioset --mode=signal gpiochip4 17=1",
    ]);

    output.write(true);
    await settle();
    expect(children).toHaveLength(2);
    expect(faults).toEqual([]);
  });

  it("coalesces writes that arrive while a gpioset is being replaced", async () => {
    const { backend, children } = await backendWith(V1);
    const output = backend.openOutput({
      name: "red",
      pin: PIN,
      activeLow: false,
      onFault: () => {},
    });
    output.write(true);
    output.write(false);
    output.write(true);
    await settle();
    expect(argvOf(children).slice(1)).toEqual(["gpioset --mode=signal gpiochip4 17=1"]);
    expect(children.filter((child) => child.running)).toHaveLength(1);
  });

  it("uses v2 arguments and applies active-low itself", async () => {
    const { backend, children } = await backendWith(V2);
    const output = backend.openOutput({
      name: "buzzer",
      pin: PIN,
      activeLow: true,
      onFault: () => {},
    });
    output.write(true);
    await settle();
    expect(argvOf(children)).toEqual([
      "gpioset --chip=gpiochip4 --consumer=timeclock 17=1",
      "gpioset --chip=gpiochip4 --consumer=timeclock 17=0",
    ]);
  });

  it.each([
    [V1, "gpioset --mode=exit gpiochip4 17=0"],
    [V2, "gpioset --toggle=0 --chip=gpiochip4 --consumer=timeclock 17=0"],
  ])("with %s, close leaves the line off and no gpioset running", async (version, oneShot) => {
    const { backend, children } = await backendWith(version);
    const output = backend.openOutput({
      name: "green",
      pin: PIN,
      activeLow: false,
      onFault: () => {},
    });
    output.write(true);
    await settle();
    await output.close();
    expect(argvOf(children).at(-1)).toBe(oneShot);
    expect(children.every((child) => !child.running)).toBe(true);
    output.write(true);
    await settle();
    expect(argvOf(children).at(-1)).toBe(oneShot);
  });

  it("closes cleanly while a replacement is still under way", async () => {
    const { backend, children } = await backendWith(V1);
    const output = backend.openOutput({
      name: "green",
      pin: PIN,
      activeLow: false,
      onFault: () => {},
    });
    output.write(true);
    await output.close();
    expect(argvOf(children)).toEqual([
      "gpioset --mode=signal gpiochip4 17=0",
      "gpioset --mode=exit gpiochip4 17=0",
    ]);
    expect(children.every((child) => !child.running)).toBe(true);
  });

  it("reports a gpioset that cannot be started at all", async () => {
    const backend = new GpiodBackend(
      fakeSpawn(noTools).spawn,
      { major: 1, minor: 6, text: "v1.6.3" },
      silentLogger(),
    );
    const faults: string[] = [];
    const output = backend.openOutput({
      name: "red",
      pin: PIN,
      activeLow: false,
      onFault: (e) => faults.push(e.message),
    });
    await settle();
    expect(faults).toEqual(["GPIO output red (gpiochip4 line 17): spawn gpioset ENOENT"]);
    output.write(true);
    await output.close();
    expect(faults).toHaveLength(1);
  });

  it("reports a gpioset that dies on its own, quoting it, and then stays quiet", async () => {
    const { backend, children } = await backendWith(V2);
    const faults: Error[] = [];
    const output = backend.openOutput({
      name: "green",
      pin: PIN,
      activeLow: false,
      onFault: (e) => faults.push(e),
    });
    children[0]?.stderr.write("gpioset: unable to request lines: Device or resource busy\n");
    await settle();
    children[0]?.exit(1);
    await settle();
    expect(faults.map((f) => f.message)).toEqual([
      "GPIO output green (gpiochip4 line 17): gpioset exited with code 1: gpioset: unable to request lines: Device or resource busy",
    ]);
    output.write(true);
    await settle();
    expect(children).toHaveLength(1);
    await output.close();
  });

  it.each([
    [V1, "gpiomon --line-buffered --bias=pull-up --format=%e gpiochip4 17", "1\n0", "\n1\n"],
    [
      V2,
      "gpiomon --chip=gpiochip4 --consumer=timeclock --bias=pull-up --format=%E 17",
      "rising\nfal",
      "ling\nrising\n",
    ],
  ])(
    "with %s, watches a key with gpiomon and reads its edges",
    async (version, argv, first, second) => {
      const { backend, children } = await backendWith(version);
      const levels: boolean[] = [];
      const input = backend.openInput({
        name: "key in",
        pin: PIN,
        activeLow: true,
        onChange: (active) => levels.push(active),
        onFault: () => {},
      });
      expect(argvOf(children)).toEqual([argv]);
      children[0]?.stdout.write(first);
      await settle();
      children[0]?.stdout.write(second);
      await settle();
      // Active-low: the pin falls when the key is pressed.
      expect(levels).toEqual([false, true, false]);
      await input.close();
      expect(children[0]?.running).toBe(false);
    },
  );

  it("reports a gpiomon that exits on its own", async () => {
    const { backend, children } = await backendWith(V1);
    const faults: string[] = [];
    backend.openInput({
      name: "key out",
      pin: PIN,
      activeLow: true,
      onChange: () => {},
      onFault: (e) => faults.push(e.message),
    });
    children[0]?.exit(1);
    await settle();
    expect(faults).toEqual(["GPIO input key out (gpiochip4 line 17): gpiomon exited with code 1"]);
  });

  it("refuses a pin that only legacy sysfs knows", async () => {
    const { backend } = await backendWith(V2);
    const sysfsOnly = { ...PIN, chip: undefined, sysfsNumber: 529 };
    expect(() =>
      backend.openOutput({ name: "red", pin: sysfsOnly, activeLow: false, onFault: () => {} }),
    ).toThrow(
      'the red pin BCM 17 has no character-device chip (only legacy sysfs knows it); use feedback.backend "sysfs"',
    );
  });
});

async function realGpioset(): Promise<boolean> {
  try {
    await detectGpiodVersion(spawn);
    return true;
  } catch {
    return false;
  }
}

// A chip that exists nowhere, so that this never drives a real pin, even on a Pi.
const NOWHERE: ResolvedPin = { ...PIN, chip: "gpiochip99", devPath: undefined };

describe.runIf(await realGpioset())("gpiod backend with the installed libgpiod tools", () => {
  it("reports the real gpioset's failure as a fault and stays quiet", async () => {
    const backend = await createGpiodBackend(spawn, silentLogger());
    const fault = new Promise<Error>((resolve) => {
      const output = backend.openOutput({
        name: "green",
        pin: NOWHERE,
        activeLow: false,
        onFault: resolve,
      });
      output.write(true);
    });
    expect((await fault).message).toMatch(
      /^GPIO output green \(gpiochip99 line 17\): gpioset exited with code 1: gpioset: .*(No such file or directory|cannot find)/,
    );
  });

  it("reports the real gpiomon's failure as a fault", async () => {
    const backend = await createGpiodBackend(spawn, silentLogger());
    const fault = new Promise<Error>((resolve) => {
      backend.openInput({
        name: "key in",
        pin: NOWHERE,
        activeLow: true,
        onChange: () => {},
        onFault: resolve,
      });
    });
    expect((await fault).message).toMatch(
      /^GPIO input key in \(gpiochip99 line 17\): gpiomon exited with code 1: gpiomon: /,
    );
  });
});
