import { DateTime } from "luxon";

/**
 * How instants travel to and from GoodTime. The vendor does not document the format, so it is a
 * config setting (server.timeFormat): "iso-offset" (default), "iso-local", "epoch-ms", or any
 * luxon pattern. Local forms are written in the site's IANA zone.
 */
export const ISO_OFFSET = "iso-offset";
export const ISO_LOCAL = "iso-local";
export const EPOCH_MS = "epoch-ms";

const ISO_OFFSET_PATTERN = "yyyy-MM-dd'T'HH:mm:ssZZ";
const ISO_LOCAL_PATTERN = "yyyy-MM-dd'T'HH:mm:ss";

export function formatInstant(date: Date, format: string, zone: string): string {
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`cannot format an invalid date in time format ${JSON.stringify(format)}`);
  }
  if (format === EPOCH_MS) return String(date.getTime());
  const local = DateTime.fromJSDate(date, { zone });
  if (!local.isValid) {
    throw new RangeError(
      `cannot render ${date.toISOString()} in time zone ${JSON.stringify(zone)}: ${local.invalidExplanation ?? local.invalidReason}; use an IANA zone such as "Europe/Berlin"`,
    );
  }
  if (format === ISO_OFFSET) return local.toFormat(ISO_OFFSET_PATTERN);
  if (format === ISO_LOCAL) return local.toFormat(ISO_LOCAL_PATTERN);
  return local.toFormat(format);
}

/**
 * Reads an instant the server sent. ISO forms are read leniently (an offset or "Z" wins; without
 * one the text is local time in `zone`), since servers often add milliseconds or use "Z".
 */
export function parseInstant(text: string, format: string, zone: string): Date {
  const trimmed = text.trim();
  let parsed: DateTime;
  if (format === EPOCH_MS) {
    if (!/^-?\d+$/.test(trimmed)) {
      throw new RangeError(
        `cannot read ${JSON.stringify(text)} as an instant in time format "epoch-ms": expected whole milliseconds since 1970-01-01 UTC, such as "1774763940000"`,
      );
    }
    return new Date(Number(trimmed));
  }
  if (format === ISO_OFFSET || format === ISO_LOCAL) {
    parsed = DateTime.fromISO(trimmed, { zone });
  } else {
    parsed = DateTime.fromFormat(trimmed, format, { zone });
  }
  if (!parsed.isValid) {
    throw new RangeError(
      `cannot read ${JSON.stringify(text)} as an instant in time format ${JSON.stringify(format)} (zone ${zone}): ${parsed.invalidExplanation ?? parsed.invalidReason}; check server.timeFormat`,
    );
  }
  return parsed.toJSDate();
}
