import { describe, expect, it } from "vitest";
import { readTypedBadge, resolvePartial } from "../../src/admin/badge-input.js";
import { badgeText, checkAgainstServer, normaliseEmail } from "../../src/admin/badge-rules.js";
import { AdminError } from "../../src/admin/errors.js";
import type { BadgeIdentity } from "../../src/badges/badge-id.js";
import { BadgeIndex } from "../../src/badges/badge-index.js";

const full = (badgeId: string): BadgeIdentity => ({ badgeId, knownBits: 40 });
const seenOf = (...badges: BadgeIdentity[]) => new BadgeIndex<BadgeIdentity>(badges);

describe("badge rules", () => {
  it.each([
    ["0f-00-a1-b2-c3", undefined, { badgeId: "0F00A1B2C3", knownBits: 40 }],
    ["0010597059", "dec10", { badgeId: "0000A1B2C3", knownBits: 32 }],
    ["0010597059", "hex10", { badgeId: "0010597059", knownBits: 40 }],
    ["161,45763", "dec10", { badgeId: "0000A1B2C3", knownBits: 24 }],
    ["0x0012345678", undefined, { badgeId: "0012345678", knownBits: 40 }],
    // Above 4294967295 ten digits cannot be a card decimal: only the hex reading is left.
    ["5000000000", undefined, { badgeId: "5000000000", knownBits: 40 }],
  ] as const)("reads %j with digits %j", (input, digits, expected) => {
    expect(readTypedBadge(input, digits, seenOf())).toEqual({ identity: expected, note: null });
  });

  it.each([
    // seen, typed, the reading taken, the word the note uses
    [[full("0F00A1B2C3")], "0010597059", { badgeId: "0000A1B2C3", knownBits: 32 }, "card decimal"],
    [
      [{ badgeId: "0000A1B2C3", knownBits: 32 }],
      "0010597059",
      { badgeId: "0000A1B2C3", knownBits: 32 },
      "card decimal",
    ],
    [[full("0010597059")], "0010597059", { badgeId: "0010597059", knownBits: 40 }, "hex ID"],
  ] as const)(
    "with %j seen, reads %j the one way the terminal knows and says so",
    (seen, typed, expected, word) => {
      const read = readTypedBadge(typed, undefined, seenOf(...seen));
      expect(read.identity).toEqual(expected);
      expect(read.note).toContain(`read as the ${word}`);
      expect(read.note).toContain("the hex ID 0010597059");
      expect(read.note).toContain("…00A1B2C3 (low 32 bits)");
    },
  );

  it.each([
    ["neither", []],
    ["both", [full("0010597059"), full("0F00A1B2C3")]],
  ] as const)("asks for --digits when the terminal knows %s, showing both readings", (_, seen) => {
    let error: unknown;
    try {
      readTypedBadge("0010597059", undefined, seenOf(...seen));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AdminError);
    expect(error).toMatchObject({ code: "ADM_DIGITS_NEEDED" });
    const message = (error as Error).message;
    expect(message).toContain("as the hex ID 0010597059");
    expect(message).toContain("the decimal printed on the card, …00A1B2C3 (low 32 bits)");
    expect(message).toContain("--digits dec10");
  });

  it("refuses a ghost ID whatever the digits", () => {
    expect(() => readTypedBadge("0000000000", undefined, seenOf())).toThrow(/ghost/);
    expect(() => readTypedBadge("0000000000", "dec10", seenOf())).toThrow(/ghost/);
  });

  it.each([
    ["0F00A1B2C3", 40, "0F00A1B2C3"],
    ["0012345678", 40, "0x0012345678"],
    ["0000A1B2C3", 32, "0010597059"],
    ["0000A1B2C3", 24, "161,45763"],
  ] as const)("writes %s (%i bits) as %j, which reads back", (badgeId, knownBits, text) => {
    expect(badgeText({ badgeId, knownBits })).toBe(text);
    expect(readTypedBadge(text, "dec10", seenOf()).identity).toEqual({ badgeId, knownBits });
  });

  it.each([
    [{ badgeId: "0000A1B2C3", knownBits: 32 }, ["0F00A1B2C3", "1200000001"], "0F00A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 24 }, ["0F00A1B2C3", "0F00A1B2C3"], "0F00A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 24 }, ["0F00A1B2C3", "1100A1B2C3"], "0000A1B2C3"],
    [{ badgeId: "0000A1B2C3", knownBits: 32 }, [], "0000A1B2C3"],
    [{ badgeId: "0F00A1B2C3", knownBits: 40 }, ["1100A1B2C3"], "0F00A1B2C3"],
  ] as const)("resolves %j among %j to %s", (badge, known, expected) => {
    const resolved = resolvePartial(badge as BadgeIdentity, seenOf(...known.map(full)));
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
