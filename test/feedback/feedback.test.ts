import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { createFeedback, createLogFeedback } from "../../src/feedback/feedback.js";
import type { FeedbackSignal } from "../../src/feedback/patterns.js";
import { type FeedbackConfig, feedbackSchema } from "../../src/gpio/config-schema.js";
import { FakeClock } from "../fakes/clock.js";
import { FakeGpioBackend } from "../fakes/gpio-backend.js";
import { FakeTimers } from "../fakes/timers.js";
import { fakeSpawn, noTools } from "../gpio/fake-spawn.js";
import { makeFakeTree, PC, PI4_6_6 } from "../gpio/fake-trees.js";
import { captureLogger } from "../gpio/log-capture.js";

const pi4 = makeFakeTree({ chips: PI4_6_6, legacySysfs: true });

async function rig(raw: object = {}, fsRoot = pi4) {
  const config: FeedbackConfig = feedbackSchema.parse({
    backend: "sysfs",
    amber: { bcm: 23 },
    ...raw,
  });
  const clock = new FakeClock("2026-03-02T07:00:00Z");
  const timers = new FakeTimers(clock);
  const gpio = new FakeGpioBackend(clock);
  const { logger, lines } = captureLogger();
  const feedback = await createFeedback(config, {
    logger,
    clock,
    timers,
    fsRoot,
    backend: gpio,
    spawn: fakeSpawn(noTools).spawn,
  });
  /** The writes since the last call, as "ms output on|off" with ms counted from `since`. */
  let seen = 0;
  const timeline = (since = 0) => {
    const fresh = gpio.writes.slice(seen);
    seen = gpio.writes.length;
    return fresh.map((w) => `${w.atMs - since} ${w.name} ${w.on ? "on" : "off"}`);
  };
  return { feedback, gpio, clock, timers, timeline, lines };
}

describe("feedback patterns on the fake backend", () => {
  it.each<[FeedbackSignal, string[]]>([
    ["clock-in", ["0 green on", "0 buzzer on", "150 buzzer off", "1000 green off"]],
    [
      "clock-out",
      [
        "0 green on",
        "0 buzzer on",
        "150 buzzer off",
        "300 green off",
        "500 green on",
        "500 buzzer on",
        "650 buzzer off",
        "800 green off",
      ],
    ],
    ["ignored", ["0 green on", "0 buzzer on", "50 buzzer off", "300 green off"]],
    ["unknown-badge", ["0 red on", "0 buzzer on", "1000 buzzer off", "2000 red off"]],
    [
      "refused",
      [
        "0 red on",
        "0 buzzer on",
        "150 buzzer off",
        "250 red off",
        "450 red on",
        "450 buzzer on",
        "600 buzzer off",
        "700 red off",
        "900 red on",
        "900 buzzer on",
        "1050 buzzer off",
        "1150 red off",
      ],
    ],
    [
      "self-test",
      [
        "0 green on",
        "300 green off",
        "300 red on",
        "600 red off",
        "600 amber on",
        "900 amber off",
        "900 buzzer on",
        "1050 buzzer off",
      ],
    ],
  ])("%s plays its documented sequence and then rests", async (signal, expected) => {
    const { feedback, timers, timeline } = await rig();
    feedback.signal(signal);
    timers.advance(10_000);
    expect(timeline()).toEqual(expected);
    expect(timers.pending).toBe(0);
  });

  it("lets a new signal cut a running pattern short, with nothing of the old one left over", async () => {
    const { feedback, timers, timeline } = await rig();
    feedback.signal("clock-in");
    timers.advance(400);
    feedback.signal("unknown-badge");
    timers.advance(10_000);
    expect(timeline()).toEqual([
      "0 green on",
      "0 buzzer on",
      "150 buzzer off",
      "400 green off",
      "400 red on",
      "400 buzzer on",
      "1400 buzzer off",
      "2400 red off",
    ]);
  });

  it("blinks red slowly while the reader is faulty, until a tap or clearReaderFault ends it", async () => {
    const { feedback, timers, timeline, clock } = await rig();
    feedback.signal("reader-fault");
    timers.advance(4_100);
    expect(timeline()).toEqual([
      "0 red on",
      "500 red off",
      "2000 red on",
      "2500 red off",
      "4000 red on",
    ]);
    expect(feedback.status().readerFault).toBe(true);

    const tappedAt = clock.monotonicMs();
    feedback.signal("clock-in");
    timers.advance(10_000);
    expect(timeline(tappedAt)).toEqual([
      "0 red off",
      "0 green on",
      "0 buzzer on",
      "150 buzzer off",
      "1000 green off",
    ]);
    expect(feedback.status().readerFault).toBe(false);

    const faultAt = clock.monotonicMs();
    feedback.signal("reader-fault");
    timers.advance(100);
    feedback.clearReaderFault();
    timers.advance(10_000);
    expect(timeline(faultAt)).toEqual(["0 red on", "100 red off"]);
  });

  it("resumes the reader-fault blink after a self-test interrupts it", async () => {
    const { feedback, timers, timeline } = await rig();
    feedback.signal("reader-fault");
    timers.advance(100);
    feedback.signal("self-test");
    timers.advance(2_000);
    expect(timeline()).toEqual([
      "0 red on",
      "100 red off",
      "100 green on",
      "400 green off",
      "400 red on",
      "700 red off",
      "700 amber on",
      "1000 amber off",
      "1000 buzzer on",
      "1150 buzzer off",
      "2000 red on",
    ]);
  });

  it("shows the backlog on amber: off when booked, on when pending, blinking when stuck", async () => {
    const { feedback, timers, timeline } = await rig();
    feedback.setBacklog("pending");
    timers.advance(1_000);
    feedback.setBacklog("stuck");
    timers.advance(1_200);
    feedback.setBacklog("booked");
    timers.advance(10_000);
    expect(timeline()).toEqual(["0 amber on", "1500 amber off", "2000 amber on", "2200 amber off"]);
    expect(feedback.status().backlog).toBe("booked");
    expect(timers.pending).toBe(0);
  });

  it("keeps the amber blink going through a pattern that does not use amber", async () => {
    const { feedback, timers, timeline } = await rig();
    feedback.setBacklog("stuck");
    feedback.signal("clock-in");
    timers.advance(1_200);
    expect(timeline()).toEqual([
      "0 amber on",
      "0 green on",
      "0 buzzer on",
      "150 buzzer off",
      "500 amber off",
      "1000 green off",
      "1000 amber on",
    ]);
  });

  it("gives amber its turn in the self-test, then shows the backlog again", async () => {
    const { feedback, timers, timeline } = await rig();
    feedback.setBacklog("pending");
    feedback.signal("self-test");
    timers.advance(5_000);
    expect(timeline()).toEqual([
      "0 amber on",
      "0 amber off",
      "0 green on",
      "300 green off",
      "300 red on",
      "600 red off",
      "600 amber on",
      "900 amber off",
      "900 buzzer on",
      "1050 buzzer off",
      "1050 amber on",
    ]);
  });

  it("turns every output off and stops blinking on close", async () => {
    const { feedback, gpio, timers, timeline } = await rig();
    feedback.setBacklog("stuck");
    feedback.signal("unknown-badge");
    timers.advance(100);
    await feedback.close();
    expect(timers.pending).toBe(0);
    expect(timeline().slice(-4)).toEqual([
      "100 green off",
      "100 red off",
      "100 buzzer off",
      "100 amber off",
    ]);
    expect([...gpio.closed].sort()).toEqual(["amber", "buzzer", "green", "red"]);
    feedback.signal("clock-in");
    expect(timeline()).toEqual([]);
  });
});

describe("feedback when GPIO fails", () => {
  it("never throws from signal when a write fails; that output goes quiet, the others go on", async () => {
    const { feedback, gpio, timers } = await rig();
    gpio.breakWrites("buzzer", new Error("EIO: i/o error, write"));
    expect(() => feedback.signal("clock-in")).not.toThrow();
    timers.advance(5_000);
    feedback.signal("refused");
    timers.advance(5_000);
    expect(gpio.writesOf("buzzer")).toEqual([]);
    expect(gpio.writesOf("green").map((w) => w.on)).toEqual([true, false]);
    expect(gpio.writesOf("red")).toHaveLength(6);
    const status = feedback.status();
    expect(status.outputs.find((o) => o.name === "buzzer")).toMatchObject({
      state: "failed",
      error: "EIO: i/o error, write",
    });
    expect(status.lastError).toBe("buzzer: EIO: i/o error, write");
  });

  it("silences an output whose helper process died, and shows it in status", async () => {
    const { feedback, gpio, timers, lines } = await rig();
    gpio.fault("green", new Error("gpioset exited with code 1"));
    feedback.signal("clock-in");
    timers.advance(5_000);
    expect(gpio.writesOf("green")).toEqual([]);
    expect(gpio.writesOf("buzzer")).toHaveLength(2);
    expect(feedback.status().outputs.find((o) => o.name === "green")?.state).toBe("failed");
    expect(lines.some((l) => l.level === "error" && l.output === "green")).toBe(true);
  });

  it("reports an output that could not be opened and drives the rest", async () => {
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const gpio = new FakeGpioBackend(clock);
    gpio.refuseOpen("red", new Error("cannot export GPIO 539 (BCM 27, red): EBUSY"));
    const feedback = await createFeedback(feedbackSchema.parse({ backend: "sysfs" }), {
      logger: silentLogger(),
      clock,
      timers: new FakeTimers(clock),
      fsRoot: pi4,
      backend: gpio,
      spawn: fakeSpawn(noTools).spawn,
    });
    feedback.signal("unknown-badge");
    expect(gpio.writesOf("buzzer")).toHaveLength(1);
    expect(feedback.status().outputs).toEqual([
      {
        name: "green",
        bcm: 17,
        resolved: "BCM 17 = gpiochip0 [pinctrl-bcm2711] line 17, sysfs GPIO 529 (found by label)",
        state: "ok",
        error: undefined,
      },
      {
        name: "red",
        bcm: 27,
        resolved: "BCM 27 = gpiochip0 [pinctrl-bcm2711] line 27, sysfs GPIO 539 (found by label)",
        state: "failed",
        error: "cannot export GPIO 539 (BCM 27, red): EBUSY",
      },
      {
        name: "buzzer",
        bcm: 22,
        resolved: "BCM 22 = gpiochip0 [pinctrl-bcm2711] line 22, sysfs GPIO 534 (found by label)",
        state: "ok",
        error: undefined,
      },
    ]);
  });

  it("logs each pin's resolution", async () => {
    const { lines } = await rig();
    expect(lines.filter((l) => l.msg?.toString().startsWith("GPIO ")).map((l) => l.msg)).toEqual([
      "GPIO green: BCM 17 = gpiochip0 [pinctrl-bcm2711] line 17, sysfs GPIO 529 (found by label)",
      "GPIO red: BCM 27 = gpiochip0 [pinctrl-bcm2711] line 27, sysfs GPIO 539 (found by label)",
      "GPIO buzzer: BCM 22 = gpiochip0 [pinctrl-bcm2711] line 22, sysfs GPIO 534 (found by label)",
      "GPIO amber: BCM 23 = gpiochip0 [pinctrl-bcm2711] line 23, sysfs GPIO 535 (found by label)",
    ]);
  });

  it("keeps working without outputs when no chip is a Pi header", async () => {
    const { feedback, gpio } = await rig({}, makeFakeTree({ chips: PC, legacySysfs: true }));
    expect(() => feedback.signal("clock-in")).not.toThrow();
    expect(gpio.writes).toEqual([]);
    expect(feedback.status().outputs.every((o) => o.state === "failed")).toBe(true);
    expect(feedback.status().lastError).toMatch(/cannot resolve BCM 17: .*INT34C5:00/);
  });

  it("falls back to log feedback when the chosen backend is missing", async () => {
    const clock = new FakeClock("2026-03-02T07:00:00Z");
    const { logger, lines } = captureLogger();
    const feedback = await createFeedback(feedbackSchema.parse({ backend: "gpiod" }), {
      logger,
      clock,
      fsRoot: pi4,
      spawn: fakeSpawn(noTools).spawn,
    });
    feedback.signal("refused");
    expect(feedback.status()).toMatchObject({
      backend: "none",
      lastError: expect.stringContaining("gpioset is not installed"),
    });
    expect(lines.some((l) => l.signal === "refused")).toBe(true);
  });
});

describe("log feedback", () => {
  it("logs signals and backlog changes and tracks the reader fault", () => {
    const { logger, lines } = captureLogger();
    const feedback = createLogFeedback(logger);
    feedback.signal("reader-fault");
    expect(feedback.status().readerFault).toBe(true);
    feedback.signal("clock-in");
    feedback.setBacklog("pending");
    feedback.setBacklog("pending");
    expect(lines.map((l) => l.signal ?? l.backlog)).toEqual([
      "reader-fault",
      "clock-in",
      "pending",
    ]);
    expect(feedback.status()).toEqual({
      backend: "none",
      detail: "no GPIO (backend none)",
      outputs: [],
      readerFault: false,
      backlog: "pending",
      lastError: undefined,
    });
  });

  it("is what backend none gives", async () => {
    const feedback = await createFeedback(feedbackSchema.parse({}), {
      logger: silentLogger(),
      clock: new FakeClock("2026-03-02T07:00:00Z"),
    });
    expect(feedback.status().backend).toBe("none");
  });
});
