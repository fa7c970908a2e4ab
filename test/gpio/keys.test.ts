import { describe, expect, it } from "vitest";
import { feedbackSchema, type KeyName } from "../../src/gpio/config-schema.js";
import { createDebouncer } from "../../src/gpio/debounce.js";
import { createFunctionKeys } from "../../src/gpio/keys.js";
import { FakeClock } from "../fakes/clock.js";
import { FakeGpioBackend } from "../fakes/gpio-backend.js";
import { FakeTimers } from "../fakes/timers.js";
import { fakeSpawn, gpiodTools, noTools, settle } from "./fake-spawn.js";
import { makeFakeTree, PI4_6_6, PI5_RP1_GPIOCHIP0 } from "./fake-trees.js";
import { captureLogger } from "./log-capture.js";

/** Raw levels fed at times (ms since start); the settled changes heard, with their times. */
function debounce(events: [number, boolean][], debounceMs = 50): string[] {
  const clock = new FakeClock("2026-03-02T07:00:00Z");
  const timers = new FakeTimers(clock);
  const heard: string[] = [];
  const debouncer = createDebouncer({
    debounceMs,
    timers,
    initial: false,
    onStable: (active) => heard.push(`${clock.monotonicMs()} ${active ? "pressed" : "released"}`),
  });
  for (const [at, active] of events) {
    timers.advance(at - clock.monotonicMs());
    debouncer.feed(active);
  }
  timers.advance(1_000);
  return heard;
}

describe("debouncing", () => {
  it.each<[string, [number, boolean][], string[]]>([
    [
      "a clean press and release",
      [
        [0, true],
        [200, false],
      ],
      ["50 pressed", "250 released"],
    ],
    [
      "a press that bounces",
      [
        [0, true],
        [3, false],
        [5, true],
        [9, false],
        [12, true],
      ],
      ["62 pressed"],
    ],
    [
      "a glitch shorter than the debounce time",
      [
        [0, true],
        [20, false],
      ],
      [],
    ],
    [
      "a repeated level",
      [
        [0, true],
        [100, true],
      ],
      ["50 pressed"],
    ],
    [
      "a release that bounces back to pressed",
      [
        [0, true],
        [100, false],
        [120, true],
      ],
      ["50 pressed"],
    ],
  ])("%s", (_name, events, expected) => {
    expect(debounce(events)).toEqual(expected);
  });
});

async function keysRig(raw: object, fsRoot = makeFakeTree({ chips: PI4_6_6, legacySysfs: true })) {
  const config = feedbackSchema.parse({ backend: "sysfs", ...raw });
  const clock = new FakeClock("2026-03-02T07:00:00Z");
  const timers = new FakeTimers(clock);
  const gpio = new FakeGpioBackend(clock);
  const { logger, lines } = captureLogger();
  const pressed: KeyName[] = [];
  const keys = await createFunctionKeys(
    config,
    { logger, timers, fsRoot, backend: gpio, spawn: fakeSpawn(noTools).spawn },
    (name) => pressed.push(name),
  );
  return { keys, gpio, timers, pressed, lines };
}

const THREE_KEYS = {
  keys: [
    { name: "in", bcm: 5 },
    { name: "out", bcm: 6 },
    { name: "break", bcm: 13, timeTypeId: "tt-break" },
  ],
};

describe("function keys", () => {
  it("reports each debounced press once, by name", async () => {
    const { gpio, timers, pressed, keys } = await keysRig(THREE_KEYS);
    gpio.emitEdge("key out", true);
    timers.advance(2);
    gpio.emitEdge("key out", false);
    timers.advance(2);
    gpio.emitEdge("key out", true);
    timers.advance(100);
    gpio.emitEdge("key out", false);
    timers.advance(100);
    gpio.emitEdge("key break", true);
    timers.advance(30);
    expect(pressed).toEqual(["out"]);
    timers.advance(30);
    expect(pressed).toEqual(["out", "break"]);
    await keys.close();
    expect(gpio.emitEdge("key in", true)).toBe(false);
  });

  it("ignores a glitch shorter than debounceMs", async () => {
    const { gpio, timers, pressed } = await keysRig({ ...THREE_KEYS, debounceMs: 80 });
    gpio.emitEdge("key in", true);
    timers.advance(60);
    gpio.emitEdge("key in", false);
    timers.advance(500);
    expect(pressed).toEqual([]);
  });

  it("logs where each key resolved to", async () => {
    const { lines } = await keysRig(THREE_KEYS);
    expect(lines.map((l) => l.msg).filter((m) => String(m).startsWith("key "))).toEqual([
      "key in: BCM 5 = gpiochip0 [pinctrl-bcm2711] line 5, sysfs GPIO 517 (found by label)",
      "key out: BCM 6 = gpiochip0 [pinctrl-bcm2711] line 6, sysfs GPIO 518 (found by label)",
      "key break: BCM 13 = gpiochip0 [pinctrl-bcm2711] line 13, sysfs GPIO 525 (found by label)",
    ]);
  });

  it("keeps the other keys when one cannot be opened, and survives a dying input", async () => {
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const timers = new FakeTimers(clock);
    const gpio = new FakeGpioBackend(clock);
    gpio.refuseOpen("key in", new Error("EBUSY"));
    const { logger, lines } = captureLogger();
    const pressed: string[] = [];
    await createFunctionKeys(
      feedbackSchema.parse({ backend: "sysfs", ...THREE_KEYS }),
      {
        logger,
        timers,
        fsRoot: makeFakeTree({ chips: PI4_6_6, legacySysfs: true }),
        backend: gpio,
        spawn: fakeSpawn(noTools).spawn,
      },
      (name) => pressed.push(name),
    );
    gpio.fault("key out", new Error("gpiomon exited with code 1"));
    gpio.emitEdge("key break", true);
    timers.advance(100);
    expect(pressed).toEqual(["break"]);
    expect(lines.filter((l) => l.level === "error").map((l) => l.key)).toEqual(["in", "out"]);
  });

  it("does nothing, with a warning, when keys are configured but the backend is none", async () => {
    const { logger, lines } = captureLogger();
    const keys = await createFunctionKeys(
      feedbackSchema.parse({ backend: "none", ...THREE_KEYS }),
      { logger },
      () => {},
    );
    await keys.close();
    expect(lines.map((l) => l.msg)).toEqual([
      'feedback.keys are configured but feedback.backend is "none"; the keys do nothing',
    ]);
  });

  it("watches keys with gpiomon on a Pi 5 without legacy sysfs", async () => {
    const tools = fakeSpawn(gpiodTools("gpioset (libgpiod) v2.1.3"));
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const timers = new FakeTimers(clock);
    const pressed: string[] = [];
    const keys = await createFunctionKeys(
      feedbackSchema.parse({ backend: "auto", keys: [{ name: "in", bcm: 5 }] }),
      {
        logger: captureLogger().logger,
        timers,
        fsRoot: makeFakeTree({ chips: PI5_RP1_GPIOCHIP0, legacySysfs: false }),
        spawn: tools.spawn,
      },
      (name) => pressed.push(name),
    );
    const gpiomon = tools.children.find((child) => child.command === "gpiomon");
    expect(gpiomon?.args).toEqual([
      "--chip=gpiochip0",
      "--consumer=timeclock",
      "--bias=pull-up",
      "--format=%E",
      "5",
    ]);
    gpiomon?.stdout.write("falling\n");
    await settle();
    timers.advance(50);
    expect(pressed).toEqual(["in"]);
    await keys.close();
    expect(gpiomon?.running).toBe(false);
  });
});
