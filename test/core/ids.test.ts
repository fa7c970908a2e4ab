import { describe, expect, it } from "vitest";
import { timeOrderedUuid } from "../../src/core/ids.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("timeOrderedUuid", () => {
  it.each([
    ["the Unix epoch", new Date(0), "00000000-0000"],
    ["RFC 9562's example instant", new Date(0x017f22e279b0), "017f22e2-79b0"],
    ["a date in 2026", new Date("2026-12-01T03:40:00.123Z"), null],
    ["the last millisecond of 48 bits", new Date(2 ** 48 - 1), "ffffffff-ffff"],
  ])("writes %s as a version 7 UUID whose first 48 bits are its milliseconds", (_, at, prefix) => {
    const id = timeOrderedUuid(at);
    expect(id).toMatch(UUID_V7);
    const millis = Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
    expect(millis).toBe(at.getTime());
    if (prefix) expect(id.startsWith(prefix)).toBe(true);
  });

  it("sorts ids by their instants, and never repeats one within a millisecond", () => {
    const start = Date.parse("2026-03-29T00:59:59.990Z");
    const instants = Array.from({ length: 200 }, (_, i) => new Date(start + Math.floor(i / 20)));
    const ids = instants.map(timeOrderedUuid);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) {
      const [earlier, later] = [instants[i - 1] as Date, instants[i] as Date];
      if (later > earlier) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
    }
  });

  it("keeps a clock before 1970 (a Pi without its time) at the lowest instant", () => {
    expect(timeOrderedUuid(new Date(-5000)).startsWith("00000000-0000-7")).toBe(true);
  });
});
