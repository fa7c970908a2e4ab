import { writeFileSync } from "node:fs";
import { get } from "node:http";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import type { I2cLink } from "../../src/display/i2c.js";
import { FakeClock } from "../fakes/clock.js";
import { Hd44780Glass } from "../fakes/hd44780-glass.js";
import { Ssd1306Glass } from "../fakes/ssd1306-glass.js";
import { tempDir } from "../helpers/temp.js";

/**
 * `timeclock display test` in-process: every screen once, on an LCD and an OLED through the fake
 * buses that decode what the glass shows (read at the moment the command says a screen is
 * drawn), and as the kiosk page's stream.
 */

const NOW = new Date("2026-03-02T07:02:00Z"); // Monday 08:02 in Berlin
/** The LCD's own characters for Ç and ë, drawn by hand as a person would read them. */
const ART = {
  Ç: [".XXX.", "X...X", "X....", "X....", "X....", "X...X", ".XXX.", "..XX."],
  ë: [".X.X.", ".....", ".XXX.", "X...X", "XXXXX", "X....", ".XXX.", "....."],
};

function writeConfig(dir: string, display: Record<string, unknown>, locale = "en"): string {
  const path = join(dir, "config.json");
  writeFileSync(
    path,
    JSON.stringify({
      terminal: { dataDir: join(dir, "data"), timeZone: "Europe/Berlin", locale },
      server: { loginEmail: "admin@example.com" },
      reader: { type: "stdin" },
      entry: { timeTypeId: "1" },
      display,
    }),
  );
  return path;
}

interface Run {
  code: number;
  lines: string[];
  stderr: string;
  /** What `onLine` returned for each line, at the moment it was printed. */
  seen: unknown[];
}

function run(
  argv: string[],
  options: {
    openI2cBus?: (bus: number) => Promise<I2cLink>;
    onLine?: (line: string) => unknown;
  } = {},
): { done: Promise<Run>; lines: string[] } {
  const lines: string[] = [];
  const seen: unknown[] = [];
  let partial = "";
  const stdout = new Writable({
    write(chunk, _encoding, callback) {
      partial += String(chunk);
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        seen.push(options.onLine?.(line));
      }
      callback();
    },
  });
  const stderr = new PassThrough();
  const err: string[] = [];
  stderr.on("data", (chunk) => err.push(String(chunk)));
  const done = runCli(argv, {
    env: {},
    stdout,
    stderr,
    clock: new FakeClock(NOW),
    ...(options.openI2cBus ? { openI2cBus: options.openI2cBus } : {}),
  }).then((code) => ({ code, lines, stderr: err.join(""), seen }));
  return { done, lines };
}

const drawn = (result: Run) =>
  result.lines
    .map((line, index) => [line, result.seen[index]] as const)
    .filter(([line]) => /^\d+\/10 /.test(line));

describe("timeclock display test", () => {
  it("draws every screen once on a 20x4 LCD in German, umlauts and Ç as read, then switches it off", async () => {
    const dir = tempDir();
    const glass = new Hd44780Glass(0x27);
    const config = writeConfig(dir, { type: "lcd", lcd: { size: "20x4" } }, "de");
    const result = await run(["--config", config, "display", "test", "--seconds", "0"], {
      openI2cBus: async (bus) => {
        expect(bus).toBe(1);
        return glass;
      },
      onLine: () => glass.glass(20, 4, ART),
    }).done;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(ExitCode.ok);
    expect(result.lines[0]).toBe("HD44780 20x4 at address 0x27 on /dev/i2c-1, in de");
    const screens = drawn(result);
    expect(screens.map(([line]) => line.split(" ")[0])).toEqual([
      "1/10",
      "2/10",
      "3/10",
      "4/10",
      "4/10",
      "5/10",
      "6/10",
      "7/10",
      "8/10",
      "9/10",
      "10/10",
    ]);
    const glassOf = (prefix: string) =>
      screens.filter(([line]) => line.startsWith(prefix)).map(([, shown]) => shown);
    expect(glassOf("2/10")).toEqual([
      [
        "08:02        Mo 2.3.",
        "LESER-FEHLER        ",
        "Uhrzeit unsicher    ",
        "Kein Netz: 3        ",
      ],
    ]);
    expect(glassOf("3/10")).toEqual([
      [
        "KOMMEN         08:02",
        "Jörg Müller-Çelik   ",
        "Heute         2:05 h",
        "Woche        32:10 h",
      ],
    ]);
    // Today equals the shift, so it is left out; "stored" takes a page of its own.
    expect(glassOf("4/10")).toEqual([
      [
        "GEHEN          08:02",
        "Zoë Weiβ            ",
        "Schicht       8:28 h",
        "Woche        40:43 h",
      ],
      [
        "Gespeichert         ",
        "                    ",
        "                    ",
        "                    ",
      ],
    ]);
    expect(glassOf("7/10")).toEqual([
      [
        "Unbek. Ausweis      ",
        "ID 0F00A1B2C3       ",
        "Bitte ins Büro      ",
        "                    ",
      ],
    ]);
    expect(glass.displayOn).toBe(false);
    expect(glass.closed).toBe(true);
  });

  it("shows each page of a screen too long for a 16x2 on its own", async () => {
    const dir = tempDir();
    const glass = new Hd44780Glass(0x27);
    const config = writeConfig(dir, { type: "lcd", lcd: { size: "16x2" } });
    const result = await run(["--config", config, "display", "test", "--seconds", "0"], {
      openI2cBus: async () => glass,
      onLine: () => glass.glass(16, 2, ART),
    }).done;
    expect(result.code).toBe(ExitCode.ok);
    const clockOut = drawn(result).filter(([line]) => line.startsWith("4/10"));
    expect(clockOut.map(([line]) => line.replace(/^.*\(/, "("))).toEqual([
      "(page 1 of 3)",
      "(page 2 of 3)",
      "(page 3 of 3)",
    ]);
    expect(clockOut.map(([, shown]) => shown)).toEqual([
      ["OUT        08:02", "Zoë Weiβ        "],
      ["Shift     8:28 h", "Week     40:43 h"],
      ["Stored for later", "                "],
    ]);
  });

  it("draws every screen on the OLED, each a picture of its own", async () => {
    const dir = tempDir();
    const glass = new Ssd1306Glass(0x3c);
    const config = writeConfig(dir, { type: "oled" });
    const result = await run(["--config", config, "display", "test", "--seconds", "0"], {
      openI2cBus: async () => glass,
      onLine: () => glass.art(0, 0, 128, 64).join("\n"),
    }).done;
    expect(result.code).toBe(ExitCode.ok);
    expect(result.lines[0]).toBe("SSD1306 128x64 at address 0x3C on /dev/i2c-1, in en");
    const pictures = drawn(result).map(([, picture]) => picture as string);
    expect(pictures).toHaveLength(10);
    expect(new Set(pictures).size).toBe(10);
    for (const picture of pictures) expect(picture).toContain("X");
  });

  it("says which display does not answer and where, with exit 84", async () => {
    const dir = tempDir();
    const config = writeConfig(dir, { type: "lcd", i2c: { bus: 3, address: "0x3F" } });
    const silent: I2cLink = {
      write: async () => {
        throw new Error("Remote I/O error");
      },
      close: async () => {},
    };
    const result = await run(["--config", config, "display", "test"], {
      openI2cBus: async () => silent,
    }).done;
    expect(result.code).toBe(ExitCode.noDevice);
    expect(result.stderr).toContain(
      "no HD44780 16x2 answers at address 0x3F on /dev/i2c-3 (Remote I/O error): check the wiring and the address with i2cdetect -y 3",
    );
    const missing = await run(["--config", config, "display", "test"], {
      openI2cBus: async () => {
        throw new Error("ENOENT: no such file or directory, open '/dev/i2c-3'");
      },
    }).done;
    expect(missing.code).toBe(ExitCode.noDevice);
    expect(missing.stderr).toContain("cannot open /dev/i2c-3");
    expect(missing.stderr).toContain("dtparam=i2c_arm=on");
  });

  it("refuses a config without a display, and a bad --seconds", async () => {
    const dir = tempDir();
    const none = await run(["--config", writeConfig(dir, { type: "none" }), "display", "test"])
      .done;
    expect(none.code).toBe(ExitCode.config);
    expect(none.stderr).toContain('display.type is "none"');
    const config = writeConfig(dir, { type: "lcd" });
    const bad = await run(["--config", config, "display", "test", "--seconds", "61"]).done;
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.stderr).toContain('--seconds "61" must be a whole number from 0 to 60');
  });
});

describe("timeclock display test on the kiosk page", () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
    blocker = undefined;
  });

  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((done) => probe.close(() => done()));
    return port;
  }

  it("serves the page and sends every screen to the browser that opens it", async () => {
    const dir = tempDir();
    const port = await freePort();
    const config = writeConfig(dir, { type: "kiosk", kiosk: { port } });
    let opened: (() => void) | undefined;
    const serving = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const command = run(["--config", config, "display", "test", "--seconds", "0"], {
      onLine: (line) => {
        if (line.startsWith("kiosk page at")) opened?.();
      },
    });
    await serving;
    const kinds: string[] = [];
    await new Promise<void>((resolve, reject) => {
      get({ host: "127.0.0.1", port, path: "/events" }, (response) => {
        expect(response.statusCode).toBe(200);
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          for (const match of chunk.matchAll(/data-screen="([a-z-]+)"/g)) {
            if (kinds.at(-1) !== match[1]) kinds.push(match[1] as string);
          }
        });
        response.on("end", resolve);
        response.on("error", resolve);
      }).once("error", reject);
    });
    const result = await command.done;
    expect(result.code).toBe(ExitCode.ok);
    expect(result.lines[0]).toBe(
      `kiosk page at http://127.0.0.1:${port}/, in en; waiting for the kiosk's browser (timeclock-kiosk.service)`,
    );
    expect(kinds).toEqual([
      "idle",
      "clock-in",
      "clock-out",
      "too-soon",
      "no-open-shift",
      "unknown-badge",
      "key",
      "enrol-armed",
      "enrol-captured",
    ]);
  });

  it("tells that the running terminal has the port, with exit 84", async () => {
    const dir = tempDir();
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((done) => blocker?.listen(port, "127.0.0.1", done));
    const config = writeConfig(dir, { type: "kiosk", kiosk: { port } });
    const result = await run(["--config", config, "display", "test"]).done;
    expect(result.code).toBe(ExitCode.noDevice);
    expect(result.stderr).toContain(`cannot serve the kiosk page on 127.0.0.1 port ${port}`);
    expect(result.stderr).toContain("sudo systemctl stop timeclock");
  });
});
