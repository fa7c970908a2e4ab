import { z } from "zod";

/** The `reader` section of the config; part of the one config schema in src/config/schema.ts. */

const serialReaderSchema = z.strictObject({
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
  repeatSuppressMs: z
    .int()
    .min(0)
    .max(10_000)
    .default(1500)
    .describe(
      "A card held in the field repeats its frame; reads of the same badge closer than this many milliseconds are one tap. 0 to 10000. Default: 1500.",
    ),
});

const stdinReaderSchema = z.strictObject({
  type: z
    .literal("stdin")
    .describe("One badge per line on standard input (demo, keyboard-style readers in a terminal)."),
});

export const readerSchema = z
  .discriminatedUnion("type", [serialReaderSchema, stdinReaderSchema])
  .describe("The badge reader.");

export type ReaderConfig = z.infer<typeof readerSchema>;
