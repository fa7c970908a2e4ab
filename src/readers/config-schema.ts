import * as z from "zod";
import { BADGE_FORMATS } from "../badges/badge-id.js";

/** The `reader` section of the config; part of the one config schema in src/config/schema.ts. */

const FORMAT_HELP =
  '"hex10" (0F00A1B2C3, all 40 bits), "dec10" (0010597059, the decimal printed on cards: low 32 bits) or "wiegand26" (161,45763, facility,card: low 24 bits)';

const format = z.enum(BADGE_FORMATS);

const serialReaderSchema = z
  .strictObject({
    type: z.literal("serial").describe("A reader on a serial port (UART or USB serial)."),
    path: z
      .string()
      .min(1)
      .default("/dev/serial0")
      .describe(
        "Serial device; prefer a stable name such as /dev/serial0 or /dev/timeclock-reader. Default: /dev/serial0.",
      ),
    baudRate: z
      .literal([2400, 4800, 9600, 19200, 38400, 57600, 115200])
      .default(9600)
      .describe(
        "Baud rate: 2400, 4800, 9600, 19200, 38400, 57600 or 115200. Default: 9600 (RDM6300).",
      ),
    protocol: z
      .enum(["rdm6300", "line"])
      .default("rdm6300")
      .describe(
        '"rdm6300" (STX, 10 hex, 2 hex checksum, ETX) or "line" (one badge per CR/LF line). Default: rdm6300.',
      ),
    format: format
      .optional()
      .describe(
        `Only with protocol "line": how a line writes the badge, ${FORMAT_HELP}. Default: hex10.`,
      ),
    repeatSuppressMs: z
      .int()
      .min(0)
      .max(10_000)
      .default(1500)
      .describe(
        "A card held in the field repeats its frame; reads of the same badge closer than this many milliseconds are one tap. 0 to 10000. Default: 1500.",
      ),
  })
  .superRefine((reader, ctx) => {
    if (reader.protocol === "rdm6300" && reader.format !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["format"],
        message:
          'applies only to protocol "line" (an RDM6300 frame is always hex); remove it or set protocol to "line"',
      });
    }
  });

const stdinReaderSchema = z.strictObject({
  type: z
    .literal("stdin")
    .describe("One badge per line on standard input (demo, keyboard-style readers in a terminal)."),
  format: format
    .default("hex10")
    .describe(`How a line writes the badge, ${FORMAT_HELP}. Default: hex10.`),
});

const hidReaderSchema = z.strictObject({
  type: z
    .literal("hid")
    .describe(
      "A USB reader that types the badge like a keyboard, read from its input event device.",
    ),
  path: z
    .string()
    .min(1)
    .describe(
      "Input event device, best the stable name under /dev/input/by-id/ ending in -event-kbd. Required.",
    ),
  format: format
    .default("dec10")
    .describe(`How the reader types the badge, ${FORMAT_HELP}. Default: dec10 (most USB readers).`),
  recordSize: z
    .union([z.literal("auto"), z.literal(16), z.literal(24)])
    .default("auto")
    .describe(
      'Bytes per input event: 24 on 64-bit, 16 on 32-bit userspace; "auto" asks the grabbing process. Default: auto.',
    ),
});

const gpioLine = z.int().min(0).max(53);

const wiegandReaderSchema = z
  .strictObject({
    type: z
      .literal("wiegand")
      .describe("A Wiegand reader on two GPIO lines (through a 5 V to 3.3 V level shifter)."),
    chip: z
      .string()
      .min(1)
      .default("gpiochip0")
      .describe(
        'GPIO chip of the two lines, as "gpiodetect" lists it. Default: gpiochip0 (gpiochip4 on a Pi 5 with an older kernel).',
      ),
    d0: gpioLine.describe(
      "BCM number of the GPIO wired to the reader's D0 (green) line, 0 to 53. Required.",
    ),
    d1: gpioLine.describe(
      "BCM number of the GPIO wired to the reader's D1 (white) line, 0 to 53. Required.",
    ),
    bits: z
      .union([z.literal(26), z.literal(34)])
      .default(26)
      .describe(
        "Frame length the reader is set to: 26 (facility,card: low 24 bits) or 34 (low 32 bits). Default: 26.",
      ),
    repeatSuppressMs: z
      .int()
      .min(0)
      .max(10_000)
      .default(1500)
      .describe(
        "Reads of the same badge closer than this many milliseconds are one tap. 0 to 10000. Default: 1500.",
      ),
  })
  .superRefine((reader, ctx) => {
    if (reader.d0 === reader.d1) {
      ctx.addIssue({
        code: "custom",
        path: ["d1"],
        message: "is the same GPIO as d0; D0 and D1 need a line each",
      });
    }
  });

export const readerSchema = z
  .discriminatedUnion("type", [
    serialReaderSchema,
    stdinReaderSchema,
    hidReaderSchema,
    wiegandReaderSchema,
  ])
  .describe("The badge reader.");

export type ReaderConfig = z.infer<typeof readerSchema>;
export type SerialReaderConfig = Extract<ReaderConfig, { type: "serial" }>;
export type StdinReaderConfig = Extract<ReaderConfig, { type: "stdin" }>;
export type HidReaderConfig = Extract<ReaderConfig, { type: "hid" }>;
export type WiegandReaderConfig = Extract<ReaderConfig, { type: "wiegand" }>;
