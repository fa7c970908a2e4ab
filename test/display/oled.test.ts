import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { displaySchema } from "../../src/display/config-schema.js";
import { glyphOf } from "../../src/display/font.js";
import { oledDevice } from "../../src/display/panel.js";
import type { Screen } from "../../src/display/screen.js";
import { DoorWords } from "../../src/display/words.js";
import { HEIGHT, Ssd1306Glass, WIDTH } from "../fakes/ssd1306-glass.js";
import { pngOf } from "../helpers/png.js";

/**
 * The OLED through a fake bus that decodes the SSD1306's commands and frame memory into the
 * pixels a person would see, compared as text read back off the glass and, for accented
 * letters, as pixel art drawn by hand. Each screen is also written as a PNG to
 * test-output/display/ for a person to look at.
 */

const SHOTS = resolve("test-output/display");
const NOW = new Date("2026-03-02T07:02:00Z");
const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00+01:00`).toISOString();

async function oled(screen: Screen, options: { rotate?: 0 | 180; locale?: "en" | "de" } = {}) {
  const glass = new Ssd1306Glass(0x3c);
  const config = displaySchema.parse({ type: "oled", oled: { rotate: options.rotate ?? 0 } });
  const device = oledDevice(glass, config, new DoorWords(options.locale ?? "en", "Europe/Berlin"));
  await device.init();
  for (const frame of device.frames(screen, NOW)) await device.show(frame);
  return glass;
}

function save(glass: Ssd1306Glass, name: string): void {
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(
    join(SHOTS, `${name}.png`),
    pngOf(WIDTH, HEIGHT, (x, y) => glass.pixel(x, y)),
  );
}

const CANDIDATES = [
  ...Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  ..."ÄÖÜäöüßéèçñ°",
];

/** Reads `count` characters of the 5x7 font drawn `scale` times at (x, y) off the glass. */
function read(glass: Ssd1306Glass, x: number, y: number, count: number, scale = 1): string {
  let text = "";
  for (let i = 0; i < count; i++) {
    const columns = Array.from({ length: 5 }, (_, c) => {
      let bits = 0;
      for (let row = 0; row < 8; row++) {
        if (glass.pixel(x + (i * 6 + c) * scale, y + row * scale)) bits |= 1 << row;
      }
      return bits;
    });
    const match = CANDIDATES.find((char) => glyphOf(char)?.join() === columns.join());
    text += match ?? "¤";
  }
  return text;
}

const clockOut: Screen = {
  kind: "clock-out",
  name: "José Müller",
  at: at("16:30"),
  shiftMinutes: 508,
  todayMinutes: 600,
  weekMinutes: 2443,
  stored: "network",
  breakStarted: false,
  toReview: false,
};

describe("the SSD1306 OLED", () => {
  it("is switched on with its charge pump and drawn the right way up", async () => {
    const glass = await oled({ kind: "idle", idle: { booking: { state: "booked" }, faults: [] } });
    expect(glass).toMatchObject({ on: true, chargePump: true, segmentRemap: true, comRemap: true });
    expect(glass.inverted).toBe(false);
  });

  it("shows the idle time three times as large, the date, and what to do", async () => {
    const glass = await oled({
      kind: "idle",
      idle: { booking: { state: "waiting", count: 3 }, faults: ["clock"] },
    });
    save(glass, "oled-idle");
    expect(read(glass, 20, 0, 5, 3)).toBe("08:02");
    expect(read(glass, 37, 24, 9)).toBe("Mon 2 Mar");
    expect(read(glass, 0, 40, 13)).toBe("Clock not set");
    expect(read(glass, 0, 48, 9)).toBe("3 to book");
    expect(read(glass, 0, 56, 14)).toBe("Tap your badge");
  });

  it("shows a clock-out: OUT and its time large, the name, the hours and why it waits", async () => {
    const glass = await oled(clockOut);
    save(glass, "oled-clock-out");
    expect(read(glass, 0, 0, 3, 2)).toBe("OUT");
    expect(read(glass, 128 - 58, 0, 5, 2)).toBe("16:30");
    expect(read(glass, 0, 16, 11)).toBe("José Müller");
    expect(read(glass, 0, 24, 21)).toBe("Shift          8:28 h");
    expect(read(glass, 0, 32, 21)).toBe("Today         10:00 h");
    expect(read(glass, 0, 40, 21)).toBe("Week          40:43 h");
    expect(read(glass, 0, 48, 16)).toBe("Stored for later");
  });

  it("draws é and ü as a person reads them", async () => {
    const glass = await oled(clockOut);
    // "José": é is the fourth letter; "Müller": ü the second, each 6 pixels wide.
    expect(glass.art(18, 16, 5, 8)).toEqual([
      "...X.",
      "..X..",
      ".XXX.",
      "X...X",
      "XXXXX",
      "X....",
      ".XXX.",
      ".....",
    ]);
    expect(glass.art(36, 16, 5, 8)).toEqual([
      ".....",
      "X..X.",
      ".....",
      "X..X.",
      "X..X.",
      "X..X.",
      ".XX..",
      ".....",
    ]);
  });

  it("speaks German and keeps a long title on one line", async () => {
    const glass = await oled(
      {
        kind: "clock-in",
        name: "Jürgen Groß",
        at: at("07:58"),
        todayMinutes: 1,
        weekMinutes: 1921,
        toReview: false,
      },
      { locale: "de" },
    );
    save(glass, "oled-clock-in-de");
    expect(read(glass, 0, 0, 6, 2)).toBe("KOMMEN");
    expect(read(glass, 128 - 29, 8, 5)).toBe("07:58");
    expect(read(glass, 0, 16, 11)).toBe("Jürgen Groß");
    expect(read(glass, 0, 32, 21)).toBe("Woche         32:01 h");
  });

  it("shows the same picture upside down for a module mounted with its pins at the bottom", async () => {
    const upright = await oled(clockOut);
    const turned = await oled(clockOut, { rotate: 180 });
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        if (turned.pixel(x, y) !== upright.pixel(WIDTH - 1 - x, HEIGHT - 1 - y)) {
          throw new Error(`pixel ${x},${y} differs`);
        }
      }
    }
    expect(turned.segmentRemap).toBe(false);
  });

  it("sends only the pages of the frame that change", async () => {
    const glass = new Ssd1306Glass();
    const config = displaySchema.parse({ type: "oled" });
    const device = oledDevice(glass, config, new DoorWords("en", "Europe/Berlin"));
    await device.init();
    const [frame] = device.frames(clockOut, NOW);
    if (!frame) throw new Error("no frame");
    await device.show(frame);
    const before = glass.writes.length;
    await device.show(frame);
    expect(glass.writes.length).toBe(before);
    const [other] = device.frames({ ...clockOut, weekMinutes: 2444 }, NOW);
    if (!other) throw new Error("no frame");
    await device.show(other);
    // One page changed: its window, then its 128 bytes.
    expect(glass.writes.length).toBe(before + 2);
    expect(read(glass, 0, 40, 21)).toBe("Week          40:44 h");
  });
});
