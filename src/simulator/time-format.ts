import { DateTime, IANAZone } from "luxon";
import { quote } from "./reply.js";

/**
 * How the simulator reads `starttime`/`endtime`/`start`/`end` and writes instants back. The real
 * service's format is unknown, so it is an option; every reading is strict, because a lenient
 * server would hide a client that sends something the real one may refuse.
 */

export type TimeParse = { ok: true; instant: Date } | { ok: false; problem: string };

export interface TimeCodec {
  /** The format's name plus an example, for error messages. */
  readonly description: string;
  parse(value: unknown): TimeParse;
  render(instant: Date): string | number;
}

const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;
const EPOCH_MS = /^-?\d{1,16}$/;
const LOCAL_SECONDS = "yyyy-MM-dd'T'HH:mm:ss";
const EXAMPLE_INSTANT = new Date("2026-03-29T05:59:00Z");

export const NAMED_TIME_FORMATS = ["iso-offset", "iso-local", "epoch-ms"] as const;

function fail(value: unknown, description: string, why = ""): TimeParse {
  return { ok: false, problem: `${quote(value)} is not ${description}${why}` };
}

function valid(dateTime: DateTime): TimeParse {
  return { ok: true, instant: dateTime.toJSDate() };
}

function isoOffset(zone: string): Omit<TimeCodec, "description"> {
  return {
    parse(value) {
      if (typeof value !== "string" || !ISO_OFFSET.test(value)) return { ok: false, problem: "" };
      const parsed = DateTime.fromISO(value, { setZone: true });
      return parsed.isValid ? valid(parsed) : { ok: false, problem: "" };
    },
    render: (instant) => DateTime.fromJSDate(instant, { zone }).toFormat(`${LOCAL_SECONDS}ZZ`),
  };
}

/** A wall-clock reading must exist in the zone: one inside a spring-forward gap is refused. */
function isoLocal(zone: string): Omit<TimeCodec, "description"> {
  return {
    parse(value) {
      if (typeof value !== "string" || !ISO_LOCAL.test(value)) return { ok: false, problem: "" };
      const parsed = DateTime.fromISO(value, { zone });
      if (!parsed.isValid) return { ok: false, problem: "" };
      if (parsed.toFormat(LOCAL_SECONDS) !== value.slice(0, 19)) {
        return { ok: false, problem: ` (that wall-clock time does not exist in ${zone})` };
      }
      return valid(parsed);
    },
    render: (instant) => DateTime.fromJSDate(instant, { zone }).toFormat(LOCAL_SECONDS),
  };
}

function epochMs(): Omit<TimeCodec, "description"> {
  return {
    parse(value) {
      const text = typeof value === "number" ? String(value) : value;
      if (typeof text !== "string" || !EPOCH_MS.test(text)) return { ok: false, problem: "" };
      return { ok: true, instant: new Date(Number(text)) };
    },
    render: (instant) => instant.getTime(),
  };
}

/** A value must print back exactly as sent, which refuses lenient parses and nonexistent times. */
function pattern(format: string, zone: string): Omit<TimeCodec, "description"> {
  return {
    parse(value) {
      if (typeof value !== "string") return { ok: false, problem: "" };
      const parsed = DateTime.fromFormat(value, format, { zone });
      if (!parsed.isValid || parsed.toFormat(format) !== value) return { ok: false, problem: "" };
      return valid(parsed);
    },
    render: (instant) => DateTime.fromJSDate(instant, { zone }).toFormat(format),
  };
}

function describeFormat(format: string, zone: string): string {
  if (format === "iso-offset") return "an ISO 8601 time with offset (iso-offset)";
  if (format === "iso-local") return `an ISO 8601 local time in ${zone} (iso-local)`;
  if (format === "epoch-ms") return "a count of milliseconds since 1970 (epoch-ms)";
  return `a time in the pattern ${quote(format)}, ${zone}`;
}

/** Throws naming the option and the value when the zone or the format cannot work. */
export function createTimeCodec(format: string, zone: string): TimeCodec {
  if (!IANAZone.isValidZone(zone)) {
    throw new Error(
      `timeZone ${quote(zone)} is not an IANA time zone; use a name such as "Europe/Berlin"`,
    );
  }
  const base =
    format === "iso-offset"
      ? isoOffset(zone)
      : format === "iso-local"
        ? isoLocal(zone)
        : format === "epoch-ms"
          ? epochMs()
          : pattern(format, zone);
  const example = base.render(EXAMPLE_INSTANT);
  const roundTrip = base.parse(example);
  if (!roundTrip.ok || roundTrip.instant.getTime() !== EXAMPLE_INSTANT.getTime()) {
    throw new Error(
      `timeFormat ${quote(format)} cannot carry an instant to the minute (it renders ${quote(example)}); use ${NAMED_TIME_FORMATS.join(", ")} or a luxon pattern with date, hours and minutes such as "yyyy-MM-dd HH:mm"`,
    );
  }
  const description = `${describeFormat(format, zone)} such as ${quote(example)}`;
  return {
    description,
    parse(value) {
      const result = base.parse(value);
      return result.ok ? result : fail(value, description, result.problem);
    },
    render: base.render,
  };
}
