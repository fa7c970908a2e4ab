import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/load.js";

const base = { server: { loginEmail: "admin@example.com" }, entry: { timeTypeId: "tt-1" } };

function readerOf(reader: unknown) {
  return parseConfig({ ...base, reader }, "test.json").reader;
}

function problemsOf(reader: unknown): string {
  try {
    parseConfig({ ...base, reader }, "test.json");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join("\n");
    throw error;
  }
  return "";
}

describe("reader config", () => {
  it.each([
    [
      { type: "serial" },
      {
        type: "serial",
        path: "/dev/serial0",
        baudRate: 9600,
        protocol: "rdm6300",
        repeatSuppressMs: 1500,
      },
    ],
    [
      { type: "serial", protocol: "line", format: "dec10" },
      { protocol: "line", format: "dec10" },
    ],
    [{ type: "stdin" }, { type: "stdin", format: "hex10" }],
    [
      { type: "hid", path: "/dev/input/by-id/usb-x-event-kbd" },
      { type: "hid", format: "dec10", recordSize: "auto" },
    ],
    [
      { type: "hid", path: "/dev/input/event0", recordSize: 16, format: "wiegand26" },
      { recordSize: 16, format: "wiegand26" },
    ],
    [
      { type: "wiegand", d0: 17, d1: 27 },
      { type: "wiegand", chip: "gpiochip0", d0: 17, d1: 27, bits: 26, repeatSuppressMs: 1500 },
    ],
  ])("accepts %j", (reader, expected) => {
    expect(readerOf(reader)).toMatchObject(expected);
  });

  it.each([
    [
      { type: "serial", format: "dec10" },
      'reader.format = "dec10": applies only to protocol "line"',
    ],
    [{ type: "serial", protocol: "line", format: "decimal" }, 'reader.format = "decimal"'],
    [{ type: "hid" }, "reader.path is missing. Input event device"],
    [{ type: "hid", path: "/dev/input/event0", recordSize: 32 }, "reader.recordSize = 32"],
    [{ type: "stdin", path: "/dev/tty" }, "reader.path: unknown key."],
    [{ type: "wiegand", d0: 17, d1: 17 }, "reader.d1 = 17: is the same GPIO as d0"],
    [{ type: "wiegand", d0: 17, d1: 27, bits: 37 }, "reader.bits = 37"],
    [{ type: "wiegand", d1: 27 }, "reader.d0 is missing. BCM number"],
  ])("refuses %j saying %j", (reader, expected) => {
    expect(problemsOf(reader)).toContain(expected);
  });
});
