import { describe, expect, it } from "vitest";
import { formatInstant, parseInstant } from "../../src/goodtime/time-format.js";

const BERLIN = "Europe/Berlin";

describe("formatInstant in Europe/Berlin across the 2026 DST changes", () => {
  it.each([
    ["2026-03-29T00:59:00Z", "2026-03-29T01:59:00+01:00", "2026-03-29T01:59:00"],
    ["2026-03-29T01:00:00Z", "2026-03-29T03:00:00+02:00", "2026-03-29T03:00:00"],
    ["2026-03-29T05:59:00Z", "2026-03-29T07:59:00+02:00", "2026-03-29T07:59:00"],
    ["2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00"],
    ["2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00", "2026-10-25T02:30:00"],
    ["2026-12-31T23:00:00Z", "2027-01-01T00:00:00+01:00", "2027-01-01T00:00:00"],
    ["2026-06-15T12:34:56.789Z", "2026-06-15T14:34:56+02:00", "2026-06-15T14:34:56"],
  ])("%s is %s (iso-offset) and %s (iso-local)", (utc, isoOffset, isoLocal) => {
    const instant = new Date(utc);
    expect(formatInstant(instant, "iso-offset", BERLIN)).toBe(isoOffset);
    expect(formatInstant(instant, "iso-local", BERLIN)).toBe(isoLocal);
  });

  it.each([
    ["epoch-ms", "2026-03-29T05:59:00Z", "1774763940000"],
    ["yyyy-MM-dd HH:mm", "2026-03-29T05:59:00Z", "2026-03-29 07:59"],
    ["dd.MM.yyyy HH:mm:ss ZZZ", "2026-10-25T01:30:00Z", "25.10.2026 02:30:00 +0100"],
  ])("renders format %s: %s is %s", (format, utc, expected) => {
    expect(formatInstant(new Date(utc), format, BERLIN)).toBe(expected);
  });

  it("refuses an invalid date and an unknown zone with a clear message", () => {
    expect(() => formatInstant(new Date(Number.NaN), "iso-offset", BERLIN)).toThrow(
      /invalid date in time format "iso-offset"/,
    );
    expect(() => formatInstant(new Date(0), "iso-offset", "Mars/Base")).toThrow(
      /time zone "Mars\/Base"/,
    );
  });
});

describe("round trips", () => {
  const instants = [
    "2026-03-29T00:59:00Z",
    "2026-03-29T01:00:00Z",
    "2026-10-25T00:30:00Z",
    "2026-10-25T01:30:00Z",
    "2026-10-25T02:00:00Z",
    "2026-07-01T22:15:00Z",
  ];
  it.each(
    ["iso-offset", "epoch-ms", "yyyy-MM-dd'T'HH:mm:ssZZ"].flatMap((format) =>
      instants.map((utc) => [format, utc] as const),
    ),
  )("format %s keeps %s", (format, utc) => {
    const text = formatInstant(new Date(utc), format, BERLIN);
    expect(parseInstant(text, format, BERLIN).toISOString()).toBe(new Date(utc).toISOString());
  });

  it.each(instants.filter((utc) => !utc.startsWith("2026-10-25T0")))(
    "iso-local keeps %s outside the repeated autumn hour",
    (utc) => {
      const text = formatInstant(new Date(utc), "iso-local", BERLIN);
      expect(parseInstant(text, "iso-local", BERLIN).toISOString()).toBe(
        new Date(utc).toISOString(),
      );
    },
  );

  it("iso-local cannot tell the two 02:30 of the autumn change apart (why iso-offset is the default)", () => {
    const first = formatInstant(new Date("2026-10-25T00:30:00Z"), "iso-local", BERLIN);
    const second = formatInstant(new Date("2026-10-25T01:30:00Z"), "iso-local", BERLIN);
    expect(first).toBe(second);
    expect(parseInstant(first, "iso-local", BERLIN).toISOString()).toBe("2026-10-25T01:30:00.000Z");
  });
});

describe("parseInstant", () => {
  it.each([
    ["2026-03-29T07:59:00+02:00", "iso-offset", "2026-03-29T05:59:00.000Z"],
    ["2026-03-29T05:59:00Z", "iso-offset", "2026-03-29T05:59:00.000Z"],
    ["2026-03-29T07:59:00.000+02:00", "iso-offset", "2026-03-29T05:59:00.000Z"],
    ["2026-03-29T07:59:00", "iso-offset", "2026-03-29T05:59:00.000Z"],
    ["2026-01-10T07:59:00", "iso-local", "2026-01-10T06:59:00.000Z"],
    ["2026-03-29T02:30:00", "iso-local", "2026-03-29T01:30:00.000Z"],
    [" 1774763940000 ", "epoch-ms", "2026-03-29T05:59:00.000Z"],
    ["29.03.2026 07:59", "dd.MM.yyyy HH:mm", "2026-03-29T05:59:00.000Z"],
  ])("reads %j in %s as %s", (text, format, expected) => {
    expect(parseInstant(text, format, BERLIN).toISOString()).toBe(expected);
  });

  it.each([
    [
      "yesterday",
      "iso-offset",
      /cannot read "yesterday" as an instant in time format "iso-offset"/,
    ],
    ["2026-13-01T00:00:00", "iso-local", /"2026-13-01T00:00:00".*"iso-local"/],
    ["12a", "epoch-ms", /"12a".*"epoch-ms": expected whole milliseconds/],
    ["2026-03-29", "dd.MM.yyyy HH:mm", /"2026-03-29".*"dd.MM.yyyy HH:mm".*check server.timeFormat/],
  ])("refuses %j in %s, naming text and format", (text, format, message) => {
    expect(() => parseInstant(text, format, BERLIN)).toThrow(message);
  });
});
