import * as z from "zod";

/** "every" as the config writes it: a whole number and a unit, m (minutes), h (hours) or d (days). */
const EVERY = /^([1-9][0-9]{0,4})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MIN_EVERY_MS = 15 * 60_000;
const MAX_EVERY_MS = 30 * 86_400_000;

/** Milliseconds of a valid backup.every ("6h" is 21600000), or undefined when it is not one. */
export function everyMs(text: string): number | undefined {
  const match = EVERY.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms >= MIN_EVERY_MS && ms <= MAX_EVERY_MS ? ms : undefined;
}

export const backupSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        "Directory on another medium (a USB stick, a network share) where the daemon keeps rotating copies of the database, named timeclock-YYYYMMDD-HHMMSSZ.db; null turns them off. The service must be allowed to write there (ReadWritePaths= in a drop-in, see systemd/README.md); a missing or unmounted directory is a warning in status, not a fault. Default: null (off).",
      ),
    every: z
      .string()
      .refine((text) => everyMs(text) !== undefined, {
        message:
          'must be a whole number and a unit, m (minutes), h (hours) or d (days), from 15m to 30d, e.g. "6h"',
      })
      .default("6h")
      .describe(
        'How often the daemon writes a copy: a whole number and a unit, m (minutes), h (hours) or d (days), from 15m to 30d. The first copy is written at start when the newest one is older than this. Default: "6h".',
      ),
    keep: z
      .int()
      .min(1)
      .max(1000)
      .default(28)
      .describe(
        "How many copies to keep in backup.path; the oldest beyond this are deleted after each new copy. 1 to 1000. Default: 28 (a week at 6h).",
      ),
  })
  .describe("Rotating online copies of the database, because SD cards die.");
