import { describe, expect, it } from "vitest";
import { explainGrabFailure, parseGrabFailure } from "../../src/readers/hid-grab.js";
import {
  InputEventDecoder,
  type RecordSize,
  recordSizeForArch,
} from "../../src/readers/input-events.js";

const EV_SYN = 0;
const EV_KEY = 1;
const EV_MSC = 4;

/** One `struct input_event` as the kernel writes it for a process of the given word size. */
function record(size: RecordSize, type: number, code: number, value: number, usec = 0): Buffer {
  const bytes = Buffer.alloc(size);
  if (size === 24) {
    bytes.writeBigInt64LE(1_772_434_800n, 0);
    bytes.writeBigInt64LE(BigInt(usec), 8);
  } else {
    bytes.writeInt32LE(1_772_434_800, 0);
    bytes.writeInt32LE(usec, 4);
  }
  bytes.writeUInt16LE(type, size - 8);
  bytes.writeUInt16LE(code, size - 6);
  bytes.writeInt32LE(value, size - 4);
  return bytes;
}

/** What a USB keyboard reports for one key stroke: scan code, press, sync, release, sync. */
function keystroke(size: RecordSize, code: number): Buffer {
  return Buffer.concat([
    record(size, EV_MSC, 4, 0x7001e),
    record(size, EV_KEY, code, 1),
    record(size, EV_SYN, 0, 0),
    record(size, EV_KEY, code, 0),
    record(size, EV_SYN, 0, 0),
  ]);
}

/**
 * Byte dumps of the three records evdev delivers for "1" (press, sync, release) at
 * 2026-03-02T07:00:00.670795Z, laid out by hand from linux/input.h: 64-bit userspace first.
 */
const DUMP_24 =
  "7035a569000000004b3c0a00000000000100020001000000" +
  "7035a569000000004b3c0a00000000000000000000000000" +
  "7035a569000000008d5a0b00000000000100020000000000";

/** The same on 32-bit userspace: seconds and microseconds are 4 bytes each. */
const DUMP_16 =
  "7035a5694b3c0a000100020001000000" +
  "7035a5694b3c0a000000000000000000" +
  "7035a5698d5a0b000100020000000000";

const CODES: Record<string, number> = {
  "1": 2,
  "2": 3,
  "3": 4,
  "4": 5,
  "5": 6,
  "6": 7,
  "7": 8,
  "8": 9,
  "9": 10,
  "0": 11,
  A: 30,
  B: 48,
  C: 46,
  D: 32,
  E: 18,
  F: 33,
  ",": 51,
  "\n": 28,
};

function typed(size: RecordSize, text: string): Buffer {
  return Buffer.concat([...text].map((char) => keystroke(size, CODES[char] ?? 57)));
}

describe("InputEventDecoder", () => {
  it.each([24, 16] as const)("decodes a dump of %i-byte records", (size) => {
    const bytes = Buffer.from(size === 24 ? DUMP_24 : DUMP_16, "hex");
    expect(bytes.length).toBe(3 * size);
    expect(new InputEventDecoder(size).push(bytes)).toBe("1");
  });

  it.each([
    [24, "0010597059\n"],
    [16, "0010597059\n"],
    [24, "0F00A1B2C3\n"],
    [16, "161,45763\n"],
  ] as const)("decodes %i-byte key strokes typing %j", (size, text) => {
    expect(new InputEventDecoder(size).push(typed(size, text))).toBe(text);
  });

  it.each([
    ["keypad digits and keypad Enter", [79, 80, 81, 82, 96], "1230\n"],
    ["shift, caps lock and num lock type nothing", [42, 2, 54, 58, 69, 28], "1\n"],
    ["a key no badge has spoils the line", [2, 16, 28], "1?\n"],
  ])("%s", (_name, codes, expected) => {
    const bytes = Buffer.concat(codes.map((code) => keystroke(24, code)));
    expect(new InputEventDecoder(24).push(bytes)).toBe(expected);
  });

  it("ignores key repeats and releases", () => {
    const bytes = Buffer.concat([
      record(24, EV_KEY, 2, 1),
      record(24, EV_KEY, 2, 2),
      record(24, EV_KEY, 2, 0),
    ]);
    expect(new InputEventDecoder(24).push(bytes)).toBe("1");
  });

  it("keeps a record split across chunks for the next chunk", () => {
    const bytes = typed(16, "15\n");
    const decoder = new InputEventDecoder(16);
    let text = "";
    for (let at = 0; at < bytes.length; at += 7) text += decoder.push(bytes.subarray(at, at + 7));
    expect(text).toBe("15\n");
  });

  it.each([
    ["arm64", 24],
    ["x64", 24],
    ["arm", 16],
    ["ia32", 16],
  ] as const)("uses %i-byte records on %s", (arch, size) => {
    expect(recordSizeForArch(arch)).toBe(size);
  });
});

describe("explainGrabFailure", () => {
  const path = "/dev/input/by-id/usb-reader-event-kbd";
  it.each([
    [
      "open ENOENT No such file or directory\n",
      [],
      "is not there (unplugged?): plug the USB reader in",
    ],
    ["read ENODEV No such device\n", [], "is not there (unplugged?)"],
    [
      "open EACCES Permission denied\n",
      [],
      'add the service user to the input group ("sudo usermod -aG input timeclock")',
    ],
    [
      "grab EBUSY Device or resource busy\n",
      ["process 77 (timeclock)"],
      "grabbed exclusively by process 77 (timeclock)",
    ],
    ["grab EBUSY Device or resource busy\n", [], "grabbed exclusively by another process"],
    ["grab ENOTTY Inappropriate ioctl for device\n", [], "is not an input event device"],
    ["read EIO Input/output error\n", [], "failed to read: EIO Input/output error"],
    [
      "Traceback (most recent call last):\nSyntaxError: oops\n",
      [],
      "ended unexpectedly (Traceback (most recent call last): | SyntaxError: oops)",
    ],
  ])("explains %j", (stderr, holders, expected) => {
    expect(explainGrabFailure(path, stderr, holders)).toContain(expected);
  });

  it("parses only the script's own error line", () => {
    expect(parseGrabFailure("warning\ngrab EBUSY Device or resource busy\n")).toEqual({
      stage: "grab",
      errno: "EBUSY",
      text: "Device or resource busy",
    });
    expect(parseGrabFailure("something else")).toBeUndefined();
  });
});
