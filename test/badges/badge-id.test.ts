import { describe, expect, it } from "vitest";
import {
  type BadgeFormat,
  type BadgeIdentity,
  formatBadge,
  isGhostBadgeId,
  parseBadgeInput,
  parseHexBadgeId,
  sameBadge,
} from "../../src/badges/badge-id.js";

describe("parseBadgeInput", () => {
  it.each([
    ["0F00A1B2C3", "0F00A1B2C3", 40],
    ["0f00a1b2c3", "0F00A1B2C3", 40],
    [" 0F:00:A1:B2:C3 ", "0F00A1B2C3", 40],
    ["0f-00-a1-b2-c3", "0F00A1B2C3", 40],
    ["0F.00.A1.B2.C3", "0F00A1B2C3", 40],
    ["0F 00 A1 B2 C3", "0F00A1B2C3", 40],
    ["0x0012345678", "0012345678", 40],
    ["9876543210", "9876543210", 40],
    ["161,45763", "0000A1B2C3", 24],
    [" 161 , 45763 ", "0000A1B2C3", 24],
    ["000,00001", "0000000001", 24],
    ["255,65534", "0000FFFFFE", 24],
  ])("reads %j as %s with %i known bits", (input, id, knownBits) => {
    expect(parseBadgeInput(input)).toEqual({ ok: true, id, knownBits });
  });

  it.each([
    ["0010597059", "dec10", "0000A1B2C3", 32],
    ["4294967294", "dec10", "00FFFFFFFE", 32],
    ["0000000001", "dec10", "0000000001", 32],
    ["0010597059", "hex10", "0010597059", 40],
    ["161,45763", "wiegand26", "0000A1B2C3", 24],
  ] as const)("reads %j given as %s", (input, format: BadgeFormat, id, knownBits) => {
    expect(parseBadgeInput(input, format)).toEqual({ ok: true, id, knownBits });
  });

  it.each([
    ["0F00A1B2C", "not a badge ID; accepted: 10 hex digits"],
    ["0F00A1B2C3D", "not a badge ID; accepted: 10 hex digits"],
    ["0G00A1B2C3", "the 10-digit decimal printed on cards"],
    ["", "facility,card such as 161,45763"],
    [
      "0010597059",
      "is ambiguous: as hex it is 0010597059, as the decimal printed on cards it is …00A1B2C3 (low 32 bits)",
    ],
    ["256,1", "has facility 256; allowed 0 to 255"],
    ["1,65536", "has card 65536; allowed 0 to 65535"],
    ["1,2,3", "is not facility,card"],
    ["0000000000", "ghost ID"],
    ["FFFFFFFFFF", "ghost ID"],
    ["ff:ff:ff:ff:ff", "ghost ID"],
    ["0,0", "ghost ID"],
    ["255,65535", "ghost ID"],
  ])("refuses %j saying %j", (input, expected) => {
    const result = parseBadgeInput(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(JSON.stringify(input));
      expect(result.reason).toContain(expected);
    }
  });

  it.each([
    ["4294967295", "dec10", "ghost ID"],
    ["0000000000", "dec10", "ghost ID"],
    ["4294967296", "dec10", "above 4294967295"],
    ["12345", "dec10", "not a 10-digit decimal"],
    ["0F00A1B2C3", "dec10", "not a 10-digit decimal"],
    ["0010597059", "wiegand26", "not facility,card"],
    ["161,45763", "hex10", "not a hex badge ID"],
  ] as const)("refuses %j given as %s saying %j", (input, format: BadgeFormat, expected) => {
    const result = parseBadgeInput(input, format);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(expected);
  });
});

describe("parseHexBadgeId and isGhostBadgeId", () => {
  it("keeps the hex-only parser", () => {
    expect(parseHexBadgeId("0f00a1b2c3")).toEqual({ ok: true, id: "0F00A1B2C3", knownBits: 40 });
    expect(parseHexBadgeId("161,45763").ok).toBe(false);
  });

  it.each([
    ["0000000000", 40, true],
    ["FFFFFFFFFF", 40, true],
    ["0F00A1B2C3", 40, false],
    ["00FFFFFFFF", 32, true],
    ["00FFFFFFFF", 40, false],
    ["0000FFFFFF", 24, true],
    ["0000000000", 24, true],
    ["not an id", 40, false],
  ] as const)("isGhostBadgeId(%s, %i) is %s", (id, knownBits, ghost) => {
    expect(isGhostBadgeId(id, knownBits)).toBe(ghost);
  });
});

describe("sameBadge", () => {
  const full: BadgeIdentity = { badgeId: "0F00A1B2C3", knownBits: 40 };
  it.each([
    [full, { badgeId: "0F00A1B2C3", knownBits: 40 }, true],
    [full, { badgeId: "1F00A1B2C3", knownBits: 40 }, false],
    [full, { badgeId: "0000A1B2C3", knownBits: 32 }, true],
    [full, { badgeId: "0001A1B2C3", knownBits: 32 }, false],
    [full, { badgeId: "0000A1B2C3", knownBits: 24 }, true],
    [full, { badgeId: "0000A1B2C4", knownBits: 24 }, false],
    [{ badgeId: "0000A1B2C3", knownBits: 32 }, { badgeId: "0000A1B2C3", knownBits: 24 }, true],
    [{ badgeId: "0001A1B2C3", knownBits: 32 }, { badgeId: "0000A1B2C3", knownBits: 24 }, true],
    [{ badgeId: "0001A1B2C3", knownBits: 32 }, { badgeId: "0000A1B2C3", knownBits: 32 }, false],
  ] as const)("sameBadge(%j, %j) is %s", (a, b, expected) => {
    expect(sameBadge(a, b)).toBe(expected);
    expect(sameBadge(b, a)).toBe(expected);
  });

  it("matches a card's printed forms against the ID its RDM6300 frame carries", () => {
    const printed = ["0010597059", "161,45763"].map((text, index) => {
      const result = parseBadgeInput(text, index === 0 ? "dec10" : undefined);
      if (!result.ok) throw new Error(result.reason);
      return { badgeId: result.id, knownBits: result.knownBits };
    });
    for (const badge of printed) expect(sameBadge(full, badge)).toBe(true);
  });
});

describe("formatBadge", () => {
  it.each([
    [{ badgeId: "0F00A1B2C3", knownBits: 40 }, "0F00A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 32 }, "…00A1B2C3 (low 32 bits)"],
    [{ badgeId: "0000A1B2C3", knownBits: 24 }, "…A1B2C3 (low 24 bits)"],
  ] as const)("formats %j as %s", (badge, expected) => {
    expect(formatBadge(badge)).toBe(expected);
  });
});
