import { afterEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { displaySchema } from "../../src/display/config-schema.js";
import type { I2cLink } from "../../src/display/i2c.js";
import { lcdDevice, Panel } from "../../src/display/panel.js";
import type { Screen } from "../../src/display/screen.js";
import { DoorWords } from "../../src/display/words.js";
import { FakeClock } from "../fakes/clock.js";
import { Hd44780Glass } from "../fakes/hd44780-glass.js";
import { captureLogger } from "../gpio/log-capture.js";

/**
 * The character LCD through a fake bus that decodes the PCF8574's port writes into the
 * HD44780's instructions, and the tests compare what a person would read on the glass.
 */

const NOW = new Date("2026-03-02T07:02:00Z"); // Monday 08:02 in Berlin
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+01:00`).toISOString();

/** What the tests expect the LCD's own characters to look like, drawn by hand. */
const ART = {
  Ä: ["X..X.", ".XX..", "X..X.", "X..X.", "XXXX.", "X..X.", "X..X.", "....."],
  É: ["..XX.", "XXXXX", "X....", "X....", "XXXX.", "X....", "X....", "XXXXX"],
  é: ["...X.", "..X..", ".XXX.", "X...X", "XXXXX", "X....", ".XXX.", "....."],
  Ç: [".XXX.", "X...X", "X....", "X....", "X....", "X...X", ".XXX.", "..XX."],
};

function lcd(size: "16x2" | "20x4", locale: "en" | "de" = "en") {
  const glass = new Hd44780Glass(0x27);
  const config = displaySchema.parse({ type: "lcd", lcd: { size } });
  const device = lcdDevice(glass, config, new DoorWords(locale, "Europe/Berlin"));
  const [columns, rows] = size === "16x2" ? [16, 2] : [20, 4];
  /** Every page of the screen as the glass shows it, one after the other. */
  const pages = async (screen: Screen) => {
    const shown: string[][] = [];
    for (const page of device.frames(screen, NOW)) {
      await device.show(page);
      shown.push(glass.glass(columns, rows, ART));
    }
    return shown;
  };
  return { glass, device, pages };
}

const clockOut = (over: Partial<Extract<Screen, { kind: "clock-out" }>> = {}): Screen => ({
  kind: "clock-out",
  name: "Jörg Müller",
  at: at("16:30"),
  shiftMinutes: 508,
  todayMinutes: 508,
  weekMinutes: 2443,
  stored: null,
  breakStarted: false,
  toReview: false,
  ...over,
});

describe("the HD44780 LCD on its PCF8574 backpack", () => {
  it("starts in 4-bit mode from whatever state it was left in, display on, backlight on", async () => {
    const { glass, device } = lcd("16x2");
    // A restart cut the last byte in half: the controller waits for a second nibble.
    await glass.write(0x27, Uint8Array.from([0x2c, 0x28, 0x3c, 0x38]));
    await device.init();
    expect(glass.fourBit).toBe(true);
    expect(glass.twoLines).toBe(true);
    expect(glass.displayOn).toBe(true);
    expect(glass.backlight).toBe(true);
    expect(glass.glass(16, 2)).toEqual(["                ", "                "]);
  });

  it("shows the idle screen on a 16x2: time and date, then what to do", async () => {
    const { device, pages } = lcd("16x2");
    await device.init();
    expect(
      await pages({ kind: "idle", idle: { booking: { state: "booked" }, faults: [] } }),
    ).toEqual([["08:02  Mon 2 Mar", "Tap your badge  "]]);
  });

  it("puts a fault first on a 20x4's idle screen, then the shifts waiting, and no tap prompt while the reader is down", async () => {
    const { device, pages } = lcd("20x4");
    await device.init();
    const idle: Screen = {
      kind: "idle",
      idle: { booking: { state: "waiting", count: 3 }, faults: ["reader"] },
    };
    expect(await pages(idle)).toEqual([
      [
        "08:02      Mon 2 Mar",
        "READER FAULT        ",
        "3 to book           ",
        "                    ",
      ],
    ]);
  });

  it("shows each idle line of a 16x2 in turn under the clock: both faults, then what waits", async () => {
    const { device, pages } = lcd("16x2");
    await device.init();
    const idle: Screen = {
      kind: "idle",
      idle: { booking: { state: "waiting", count: 3 }, faults: ["reader", "clock"] },
    };
    expect(await pages(idle)).toEqual([
      ["08:02  Mon 2 Mar", "READER FAULT    "],
      ["08:02  Mon 2 Mar", "Clock not set   "],
      ["08:02  Mon 2 Mar", "3 to book       "],
    ]);
    const working: Screen = {
      kind: "idle",
      idle: { booking: { state: "waiting", count: 3 }, faults: [] },
    };
    expect(await pages(working)).toEqual([
      ["08:02  Mon 2 Mar", "3 to book       "],
      ["08:02  Mon 2 Mar", "Tap your badge  "],
    ]);
  });

  it("shows a clock-out on one page of a 20x4 and on two pages of a 16x2, umlauts from the ROM", async () => {
    const big = lcd("20x4");
    await big.device.init();
    expect(await big.pages(clockOut())).toEqual([
      [
        "OUT            16:30",
        "Jörg Müller         ",
        "Shift         8:28 h",
        "Week         40:43 h",
      ],
    ]);
    expect(big.glass.codeAt(1, 1)).toBe(0xef);
    expect(big.glass.codeAt(1, 6)).toBe(0xf5);
    const small = lcd("16x2");
    await small.device.init();
    expect(await small.pages(clockOut({ todayMinutes: 600, stored: "network" }))).toEqual([
      ["OUT        16:30", "Jörg Müller     "],
      ["Shift     8:28 h", "Today    10:00 h"],
      ["Week     40:43 h", "Stored for later"],
    ]);
  });

  it("speaks German when terminal.locale says so", async () => {
    const { device, pages } = lcd("16x2", "de");
    await device.init();
    expect(
      await pages({
        kind: "clock-in",
        name: "Hans Weiß",
        at: at("07:58"),
        todayMinutes: 1,
        weekMinutes: 1921,
        toReview: false,
      }),
    ).toEqual([
      ["KOMMEN     07:58", "Hans Weiβ       "],
      ["Heute     0:01 h", "Woche    32:01 h"],
    ]);
  });

  it("draws Ä, É, é and Ç as characters of its own, as a person would read them", async () => {
    const { glass, device, pages } = lcd("20x4");
    await device.init();
    const [page] = await pages(clockOut({ name: "Ärger-Éloïse Çelik é" }));
    expect(page?.[1]).toBe("Ärger-Élo¤se Çelik é");
    // ï is not in the ROM either: it got a character of its own, drawn from i and two dots.
    const slot = glass.codeAt(1, 9);
    expect(slot).toBeLessThan(8);
    expect(glass.cgramArt(slot)).toEqual([
      ".X.X.",
      ".....",
      ".XX..",
      "..X..",
      "..X..",
      "..X..",
      ".XXX.",
      ".....",
    ]);
  });

  it("falls back to the ROM's closest form when more than eight letters need a character of their own", async () => {
    const { glass, device, pages } = lcd("20x4");
    await device.init();
    const [page] = await pages(clockOut({ name: "ÀÁÂÃÅÈÊËÌÍ Ö" }));
    expect(page?.[1]).toBe("¤¤¤¤¤¤¤¤II ö        ");
    expect(Array.from({ length: 10 }, (_, i) => glass.codeAt(1, i))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 0x49, 0x49,
    ]);
  });

  it("spells letters no font can compose the closest way", async () => {
    const { device, pages } = lcd("20x4");
    await device.init();
    const [page] = await pages(clockOut({ name: "Łukasz Ørsted Æbeltoft" }));
    expect(page?.[1]).toBe("Lukasz Orsted AEbelt");
  });

  it("sends only the lines that change", async () => {
    const { glass, device } = lcd("16x2");
    await device.init();
    const [page] = device.frames(clockOut(), NOW);
    if (!page) throw new Error("no page");
    await device.show(page);
    const before = glass.writes.length;
    await device.show(page);
    expect(glass.writes.length).toBe(before);
    const [other] = device.frames(clockOut({ name: "Ben Meyer" }), NOW);
    if (!other) throw new Error("no page");
    await device.show(other);
    expect(glass.writes.length).toBe(before + 1);
    expect(glass.glass(16, 2)).toEqual(["OUT        16:30", "Ben Meyer       "]);
  });
});

/** A bus that fails its first writes, and takes its time with each. */
class FlakyBus implements I2cLink {
  failures: number;
  readonly glass = new Hd44780Glass(0x27);
  /** The second line of the glass after each write. */
  readonly seen: string[] = [];
  constructor(failures: number) {
    this.failures = failures;
  }
  async write(address: number, bytes: Uint8Array): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error("Remote I/O error"), { code: "EREMOTEIO" });
    }
    await this.glass.write(address, bytes);
    this.seen.push(this.glass.glass(16, 2)[1] ?? "");
  }
  async close(): Promise<void> {}
}

describe("the panel that drives the display", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("logs a display that does not answer once, and draws once it answers again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const bus = new FlakyBus(3);
    const logs = captureLogger();
    const config = displaySchema.parse({ type: "lcd" });
    const panel = new Panel(lcdDevice(bus, config, new DoorWords("en", "Europe/Berlin")), {
      clock: new FakeClock(NOW),
      logger: logs.logger,
    });
    panel.show(clockOut({ todayMinutes: 600 }));
    // Retries after 2, 4 and 8 s; the screen's two pages then take turns every 2.5 s.
    await vi.advanceTimersByTimeAsync(14_300);
    expect(bus.glass.glass(16, 2)).toEqual(["OUT        16:30", "Jörg Müller     "]);
    const messages = logs.lines.map((line) => String(line.msg));
    expect(messages.filter((msg) => msg.startsWith("display does not answer"))).toHaveLength(1);
    expect(messages).toContain("display works again");
    const closed = panel.close();
    await vi.advanceTimersByTimeAsync(1_000);
    await closed;
  });

  it("draws only the newest of screens that came while the bus was busy", async () => {
    const bus = new FlakyBus(0);
    const config = displaySchema.parse({ type: "lcd" });
    const panel = new Panel(lcdDevice(bus, config, new DoorWords("en", "Europe/Berlin")), {
      clock: new FakeClock(NOW),
      logger: silentLogger(),
    });
    panel.show(clockOut({ name: "First" }));
    panel.show(clockOut({ name: "Second" }));
    panel.show(clockOut({ name: "Third" }));
    await panel.settled();
    expect(bus.seen).toContain("First           ");
    expect(bus.seen).not.toContain("Second          ");
    expect(bus.glass.glass(16, 2)).toEqual(["OUT        16:30", "Third           "]);
    await panel.close();
    expect(bus.glass.displayOn).toBe(false);
    expect(bus.glass.backlight).toBe(false);
  });
});
