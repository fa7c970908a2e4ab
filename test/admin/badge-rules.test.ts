import { describe, expect, it } from "vitest";
import {
  badgeText,
  checkAgainstServer,
  normaliseEmail,
  parseAdminBadge,
  resolvePartial,
} from "../../src/admin/badge-rules.js";
import type { BadgeIdentity } from "../../src/badges/badge-id.js";

describe("badge rules", () => {
  it.each([
    ["0f-00-a1-b2-c3", undefined, { id: "0F00A1B2C3", knownBits: 40 }],
    ["0010597059", "dec10", { id: "0000A1B2C3", knownBits: 32 }],
    ["0010597059", "hex10", { id: "0010597059", knownBits: 40 }],
    ["161,45763", "dec10", { id: "0000A1B2C3", knownBits: 24 }],
    ["0x0012345678", "dec10", { id: "0012345678", knownBits: 40 }],
  ] as const)("reads %j with digits %j", (input, digits, expected) => {
    expect(parseAdminBadge(input, digits)).toEqual({ ok: true, ...expected });
  });

  it("reads ten plain digits as the canonical hex ID unless told they are the card decimal", () => {
    expect(parseAdminBadge("0010597059")).toEqual({ ok: true, id: "0010597059", knownBits: 40 });
    expect(parseAdminBadge("0010597059", "dec10")).toEqual({
      ok: true,
      id: "0000A1B2C3",
      knownBits: 32,
    });
    const ghost = parseAdminBadge("0000000000");
    expect(!ghost.ok && ghost.reason).toContain("ghost");
  });

  it.each([
    ["0F00A1B2C3", 40, "0F00A1B2C3"],
    ["0012345678", 40, "0x0012345678"],
    ["0000A1B2C3", 32, "0010597059"],
    ["0000A1B2C3", 24, "161,45763"],
  ] as const)("writes %s (%i bits) as %j, which reads back", (badgeId, knownBits, text) => {
    expect(badgeText({ badgeId, knownBits })).toBe(text);
    expect(parseAdminBadge(text, "dec10")).toEqual({ ok: true, id: badgeId, knownBits });
  });

  it.each([
    [{ badgeId: "0000A1B2C3", knownBits: 32 }, ["0F00A1B2C3", "1200000001"], "0F00A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 24 }, ["0F00A1B2C3", "0F00A1B2C3"], "0F00A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 24 }, ["0F00A1B2C3", "1100A1B2C3"], "0000A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 32 }, [], "0000A1B2C3"],
    [{ badgeId: "0F00A1B2C3", knownBits: 40 }, ["1100A1B2C3"], "0F00A1B2C3"],
  ] as const)("resolves %j among %j to %s", (badge, known, expected) => {
    const resolved = resolvePartial(badge as BadgeIdentity, known);
    expect(resolved.badgeId).toBe(expected);
    expect(resolved.knownBits).toBe(expected === badge.badgeId ? badge.knownBits : 40);
  });

  it.each([
    [" Anna.Schmidt@Example.COM ", { ok: true, email: "anna.schmidt@example.com" }],
    ["anna", { ok: false }],
    ["anna@", { ok: false }],
    ["an na@example.com", { ok: false }],
  ])("normalises the email %j", (input, expected) => {
    expect(normaliseEmail(input)).toMatchObject(expected);
  });

  it("names every mismatch with the server and what it knows", () => {
    const catalog = {
      userEmails: new Set(["anna@example.com"]),
      timeTypeIds: new Set(["tt1", "tt2"]),
      projectIds: new Set<string>(),
    };
    expect(
      checkAgainstServer(
        { email: "anna@example.com", timeTypeId: "tt1", projectId: null },
        catalog,
      ),
    ).toEqual([]);
    expect(
      checkAgainstServer({ email: "ben@example.com", timeTypeId: "x", projectId: "p" }, catalog),
    ).toEqual([
      'email "ben@example.com" is not a user of the GoodTime account (see timeclock server users)',
      'time type "x" does not exist on the server; known: tt1, tt2',
      'project "p" does not exist on the server; known: none',
    ]);
  });
});
