import { describe, expect, it } from "vitest";
import { drawableText, glyphOf } from "../../src/display/font.js";
import { DOOR_CATALOGUE } from "../../src/display/messages.js";
import type { DoorMessages } from "../../src/display/messages-en.js";

/** Every key path of a catalogue; functions are leaves. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keyPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

/** The short texts of a catalogue, with values as wide as a terminal meets them. */
function shortTexts(t: DoorMessages): [string, string][] {
  return [
    ["idle.short", t.idle.short],
    ["idle.bookedShort", t.idle.bookedShort],
    ["idle.waitingShort", t.idle.waitingShort(999)],
    ["idle.offlineShort", t.idle.offlineShort(999)],
    ["idle.notBookingShort", t.idle.notBookingShort],
    ["idle.readerFaultShort", t.idle.readerFaultShort],
    ["idle.clockUnsureShort", t.idle.clockUnsureShort],
    ["breakStartedShort", t.breakStartedShort],
    ["storedShort", t.storedShort],
    ["toReviewShort", t.toReviewShort],
    ["tooSoonShort", t.tooSoonShort],
    ["noOpenShiftShort", t.noOpenShiftShort],
    ["unknownBadgeShort", t.unknownBadgeShort],
    ["ambiguousBadgeShort", t.ambiguousBadgeShort],
    ["seeOfficeShort", t.seeOfficeShort],
    ["badgeId", t.badgeId("0F00A1B2C3")],
    ["keys.nextShort", t.keys.nextShort(t.keys.in)],
    ["keys.promptShort", t.keys.promptShort],
    ["enrol.armedShort", t.enrol.armedShort],
    ["enrol.capturedShort", t.enrol.capturedShort],
    // A label beside the widest value, "40:43 h", and a direction beside a time.
    ["shiftShort", `${t.shiftShort} ${t.hoursShort("40:43")}`],
    ["todayShort", `${t.todayShort} ${t.hoursShort("40:43")}`],
    ["weekShort", `${t.weekShort} ${t.hoursShort("40:43")}`],
    ["clockInShort", `${t.clockInShort} 16:30`],
    ["clockOutShort", `${t.clockOutShort} 16:30`],
  ];
}

describe("the door's catalogue", () => {
  it("has the same keys in German as in English", () => {
    expect(keyPaths(DOOR_CATALOGUE.de)).toEqual(keyPaths(DOOR_CATALOGUE.en));
  });

  it.each(["en", "de"] as const)(
    "has short texts (%s) that fit a 16x2 LCD in characters its font can draw",
    (locale) => {
      for (const [key, text] of shortTexts(DOOR_CATALOGUE[locale])) {
        expect([...text].length, `${locale} ${key}: ${JSON.stringify(text)}`).toBeLessThanOrEqual(
          16,
        );
        expect(drawableText(text), `${locale} ${key}`).toBe(text);
      }
    },
  );
});

describe("names on a small display", () => {
  it.each([
    ["Jörg Müller", "Jörg Müller"],
    ["José Núñez", "José Núñez"],
    ["Łukasz Øster", "Lukasz Oster"],
    ["Ærø Œuvre", "AEro OEuvre"],
    ["Zoë Ðorđević", "Zoë Dordević"],
    ["Nguyễn", "Nguyễn"],
    ["李小龍", "???"],
    ["Anna\u00a0Smith – Jr", "Anna Smith - Jr"],
    ["Jose\u0301 (decomposed)", "José (decomposed)"],
  ])("shows %s as %s", (name, shown) => {
    expect(drawableText(name)).toBe(shown);
  });

  it("draws ß and composes accents the font lacks", () => {
    expect(glyphOf("ß")).not.toBeNull();
    expect(glyphOf("ř")).not.toEqual(glyphOf("r"));
    expect(glyphOf("Ś")).not.toEqual(glyphOf("S"));
    expect(glyphOf("ç")).not.toEqual(glyphOf("c"));
    expect(glyphOf("李")).toBeNull();
  });
});
