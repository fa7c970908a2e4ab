import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  loadConfig,
  maskedConfig,
  parseConfig,
  requirePassword,
} from "../../src/config/load.js";

const minimal = {
  server: { loginEmail: "admin@example.com" },
  entry: { timeTypeId: "tt-1" },
};

function problemsOf(raw: unknown): string[] {
  try {
    parseConfig(raw, "test.json");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

function writeConfig(raw: unknown, mode = 0o600): string {
  const dir = mkdtempSync(join(tmpdir(), "timeclock-config-"));
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify(raw));
  chmodSync(path, mode);
  return path;
}

describe("config", () => {
  it("accepts config.example.json", () => {
    const example = JSON.parse(readFileSync("config.example.json", "utf8"));
    expect(problemsOf(example)).toEqual([]);
  });

  it("fills in defaults for everything optional", () => {
    const config = parseConfig(minimal, "test.json");
    expect(config.terminal).toEqual({
      name: "front-door",
      timeZone: "Europe/Berlin",
      dataDir: "/var/lib/timeclock",
      clockTrust: "auto",
      locale: "en",
    });
    expect(config.display).toMatchObject({ type: "none", holdSeconds: 6 });
    expect(config.display.kiosk.pin).toEqual({
      enabled: false,
      wrongBeforeLock: 5,
      lockMinutes: 15,
      attemptsPerMinute: 10,
    });
    expect(config.server.apiVersion).toBe("v2.1");
    expect(config.server.timeoutMs).toBe(10_000);
    expect(config.reader).toMatchObject({ type: "serial", path: "/dev/serial0", baudRate: 9600 });
    expect(config.pairing).toEqual({ minGapSeconds: 60, maxShiftHours: 12, minShiftSeconds: 0 });
    expect(config.sync.concurrency).toBe(2);
    expect(config.entry.projectId).toBeNull();
    expect(config.entry.rounding).toBeNull();
    expect(config.server.timeTypeField).toBeUndefined();
  });

  it.each([
    [
      { ...minimal, server: { loginEmail: "admin@example.com", timoutMs: 5 } },
      'server.timoutMs: unknown key. Did you mean "timeoutMs"?',
    ],
    [{ ...minimal, pairing: { minGapSeconds: -1 } }, "pairing.minGapSeconds = -1"],
    [
      { ...minimal, terminal: { timeZone: "Mars/Base" } },
      'terminal.timeZone = "Mars/Base": must be an IANA time zone',
    ],
    [
      { ...minimal, server: { loginEmail: "admin@example.com", baseUrl: "http://example.com" } },
      "must use https://",
    ],
    [{ ...minimal, reader: { type: "serial", baudRate: 1234 } }, "reader.baudRate = 1234"],
    [{ ...minimal, reader: { type: "carrier-pigeon" } }, 'reader.type = "carrier-pigeon"'],
    [{ ...minimal, entry: { timeTypeId: "x", comment: "{user}" } }, "unknown placeholder {user}"],
    [{ server: {}, entry: {} }, "server.loginEmail is missing."],
    [
      { ...minimal, server: { loginEmail: "a@b.example", timeFormat: "HH:mm" } },
      'server.timeFormat = "HH:mm": is neither',
    ],
    [
      { ...minimal, server: { loginEmail: "a@b.example", timeTypeField: "timetype" } },
      'server.timeTypeField = "timetype"',
    ],
    [
      {
        ...minimal,
        entry: { timeTypeId: "x", rounding: { start: { stepMinutes: 7, direction: "up" } } },
      },
      "entry.rounding.start.stepMinutes = 7: must divide an hour: one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60",
    ],
    [
      {
        ...minimal,
        entry: { timeTypeId: "x", rounding: { end: { stepMinutes: 15, direction: "closest" } } },
      },
      'entry.rounding.end.direction = "closest"',
    ],
    [{ ...minimal, pairing: { minShiftSeconds: 3601 } }, "pairing.minShiftSeconds = 3601"],
    [
      { ...minimal, display: { type: "lcd", kiosk: { pin: { enabled: true } } } },
      'display.kiosk.pin.enabled = true: is true, but display.type is "lcd": a PIN is typed on the kiosk page\'s touch screen; set display.type to "kiosk", or enabled to false',
    ],
    [
      { ...minimal, display: { type: "kiosk", kiosk: { pin: { enabled: "yes" } } } },
      'display.kiosk.pin.enabled = "yes"',
    ],
    [
      { ...minimal, display: { type: "kiosk", kiosk: { pin: { wrongBeforeLock: 1 } } } },
      "display.kiosk.pin.wrongBeforeLock = 1",
    ],
    [
      { ...minimal, display: { type: "kiosk", kiosk: { pin: { lockMinutes: 0 } } } },
      "display.kiosk.pin.lockMinutes = 0",
    ],
    [
      { ...minimal, display: { type: "kiosk", kiosk: { pin: { attemptsPerMinute: 61 } } } },
      "display.kiosk.pin.attemptsPerMinute = 61",
    ],
    [
      { ...minimal, display: { type: "kiosk", kiosk: { pin: { enable: true } } } },
      'display.kiosk.pin.enable: unknown key. Did you mean "enabled"?',
    ],
  ])("reports %j as a problem naming the key and value", (raw, expected) => {
    expect(problemsOf(raw).join("\n")).toContain(expected);
  });

  it("reads a rounding policy for either end, the other end booked to the minute", () => {
    const config = parseConfig(
      {
        ...minimal,
        entry: { timeTypeId: "x", rounding: { end: { stepMinutes: 15, direction: "down" } } },
      },
      "test.json",
    );
    expect(config.entry.rounding).toEqual({
      start: null,
      end: { stepMinutes: 15, direction: "down" },
    });
  });

  it("reports every problem at once", () => {
    const problems = problemsOf({
      server: { loginEmail: "nope", extra: 1 },
      entry: {},
      sync: { concurrency: 0 },
    });
    expect(problems).toHaveLength(4);
  });

  it.each(["iso-offset", "iso-local", "epoch-ms", "yyyy-MM-dd HH:mm", "dd.MM.yyyy HH:mm:ss"])(
    "accepts the time format %s",
    (timeFormat) => {
      expect(problemsOf({ ...minimal, server: { loginEmail: "a@b.example", timeFormat } })).toEqual(
        [],
      );
    },
  );

  it("allows plain http only for loopback simulators", () => {
    const loopback = {
      ...minimal,
      server: { loginEmail: "a@b.example", baseUrl: "http://127.0.0.1:8089" },
    };
    expect(problemsOf(loopback)).toEqual([]);
  });

  it("takes the password from the environment, credential, file, then config, in that order", () => {
    const dir = mkdtempSync(join(tmpdir(), "timeclock-secret-"));
    writeFileSync(join(dir, "apipassword"), "from-credential\n");
    writeFileSync(join(dir, "file"), "from-file\nignored\n");
    const path = writeConfig({
      ...minimal,
      server: {
        loginEmail: "a@b.example",
        apiPassword: "from-config",
        apiPasswordFile: join(dir, "file"),
      },
    });
    const env = { TIMECLOCK_API_PASSWORD: "from-env", CREDENTIALS_DIRECTORY: dir };
    expect(loadConfig(path, env).apiPassword).toBe("from-env");
    expect(loadConfig(path, { CREDENTIALS_DIRECTORY: dir }).apiPassword).toBe("from-credential");
    expect(loadConfig(path, {}).apiPassword).toBe("from-file");
    const inline = writeConfig({
      ...minimal,
      server: { loginEmail: "a@b.example", apiPassword: "from-config" },
    });
    expect(loadConfig(inline, {}).passwordSource).toBe("server.apiPassword");
  });

  it("names a missing password file and fails commands that need the password", () => {
    const path = writeConfig({
      ...minimal,
      server: { loginEmail: "a@b.example", apiPasswordFile: "/nonexistent/pw" },
    });
    const loaded = loadConfig(path, {});
    expect(loaded.apiPassword).toBeUndefined();
    expect(() => requirePassword(loaded)).toThrow(
      /"\/nonexistent\/pw", which cannot be read \(ENOENT\)/,
    );
  });

  it("masks the password and warns when a file holding it is world-readable", () => {
    const path = writeConfig(
      { ...minimal, server: { loginEmail: "a@b.example", apiPassword: "s3cret-value" } },
      0o644,
    );
    const loaded = loadConfig(path, {});
    expect(JSON.stringify(maskedConfig(loaded))).not.toContain("s3cret-value");
    expect(loaded.warnings.join()).toContain("readable by every user");
  });

  it("explains a file that is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "timeclock-config-"));
    writeFileSync(join(dir, "c.json"), "{ nope");
    expect(() => loadConfig(join(dir, "c.json"), {})).toThrow(/is not valid JSON/);
  });

  it("loads a file saved with a UTF-8 byte order mark", () => {
    const path = writeConfig(minimal);
    writeFileSync(path, `\uFEFF${readFileSync(path, "utf8")}`);
    expect(loadConfig(path, {}).config.entry.timeTypeId).toBe("tt-1");
  });

  it.each([
    ["an array", `{"terminal": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`, "terminal[0][0]"],
    ["an object", `{"entry": ${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`, "entry.a.a"],
    ["the whole file", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, "[0][0]"],
  ])(
    "refuses %s nested 100,000 levels deep as a config error, without overflowing the stack",
    (_, text, where) => {
      const dir = mkdtempSync(join(tmpdir(), "timeclock-config-"));
      writeFileSync(join(dir, "c.json"), text);
      let error: unknown;
      try {
        loadConfig(join(dir, "c.json"), {});
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${where.replace(/[[\].]/g, "\\$&")}.* nests values more than 16 levels deep`,
          ),
        ),
      ]);
    },
  );

  it("quotes a deeply nested value in a validation problem without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(problemsOf({ ...minimal, terminal: { name: deep } })).toEqual([
      expect.stringMatching(/^terminal.name = \[\.\.\.\]: /),
    ]);
  });
});
