import { describe, expect, it } from "vitest";
import { createTimeCodec } from "../../src/simulator/time-format.js";

const ZONE = "Europe/Berlin";

describe("simulator time formats", () => {
  it.each([
    ["iso-offset", "2026-03-29T07:59:00+02:00", "2026-03-29T05:59:00.000Z"],
    ["iso-offset", "2026-03-29T05:59:00Z", "2026-03-29T05:59:00.000Z"],
    ["iso-offset", "2026-03-29T07:59:30.250+02:00", "2026-03-29T05:59:30.250Z"],
    ["iso-offset", "2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00.000Z"],
    ["iso-local", "2026-03-29T07:59:00", "2026-03-29T05:59:00.000Z"],
    ["iso-local", "2026-01-15T12:00:00", "2026-01-15T11:00:00.000Z"],
    ["epoch-ms", 1774763940000, "2026-03-29T05:59:00.000Z"],
    ["epoch-ms", "1774763940000", "2026-03-29T05:59:00.000Z"],
    ["yyyy-MM-dd HH:mm", "2026-03-29 07:59", "2026-03-29T05:59:00.000Z"],
    ["dd.MM.yyyy HH:mm:ss", "29.03.2026 07:59:00", "2026-03-29T05:59:00.000Z"],
  ])("%s reads %j as %s", (format, value, instant) => {
    const parsed = createTimeCodec(format, ZONE).parse(value);
    expect(parsed).toEqual({ ok: true, instant: new Date(instant) });
  });

  it.each([
    ["iso-offset", "2026-03-29T07:59:00", "ISO 8601 time with offset"],
    ["iso-offset", "2026-03-29T07:59+02:00", "ISO 8601 time with offset"],
    ["iso-offset", "2026-03-29T07:59:00+0200", "ISO 8601 time with offset"],
    ["iso-offset", "2026-13-01T07:59:00+02:00", "ISO 8601 time with offset"],
    ["iso-offset", "29.03.2026 07:59", "ISO 8601 time with offset"],
    ["iso-offset", 1774763940000, "ISO 8601 time with offset"],
    ["iso-local", "2026-03-29T07:59:00+02:00", "local time in Europe/Berlin"],
    ["iso-local", "2026-03-29T02:30:00", "does not exist in Europe/Berlin"],
    ["epoch-ms", "2026-03-29", "milliseconds since 1970"],
    ["epoch-ms", 1.5, "milliseconds since 1970"],
    ["yyyy-MM-dd HH:mm", "2026-3-29 7:59", 'pattern "yyyy-MM-dd HH:mm"'],
    ["yyyy-MM-dd HH:mm", "2026-03-29 02:30", 'pattern "yyyy-MM-dd HH:mm"'],
  ])("%s refuses %j, quoting it and naming the format", (format, value, expected) => {
    const parsed = createTimeCodec(format, ZONE).parse(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toContain(JSON.stringify(value));
      expect(parsed.problem).toContain(expected);
    }
  });

  it.each([
    ["iso-offset", "2026-03-29T07:59:00+02:00"],
    ["iso-local", "2026-03-29T07:59:00"],
    ["epoch-ms", 1774763940000],
    ["yyyy-MM-dd HH:mm", "2026-03-29 07:59"],
  ])("%s renders in the zone as %j", (format, rendered) => {
    expect(createTimeCodec(format, ZONE).render(new Date("2026-03-29T05:59:00Z"))).toEqual(
      rendered,
    );
  });

  it("renders UTC as +00:00 when the zone is UTC", () => {
    expect(createTimeCodec("iso-offset", "UTC").render(new Date("2026-01-01T00:00:00Z"))).toBe(
      "2026-01-01T00:00:00+00:00",
    );
  });

  it.each([
    ["HH:mm", ZONE, 'timeFormat "HH:mm" cannot carry an instant to the minute'],
    ["yyyy-MM-dd", ZONE, 'timeFormat "yyyy-MM-dd" cannot carry'],
    ["iso-offset", "Mars/Base", 'timeZone "Mars/Base" is not an IANA time zone'],
  ])("refuses the format %j in zone %s", (format, zone, message) => {
    expect(() => createTimeCodec(format, zone)).toThrow(message);
  });
});
