import { type Glyph, glyphOf } from "../font.js";

/**
 * Text for an HD44780 with the common A00 character ROM (ASCII, Japanese katakana and a few
 * Greek and Western letters). The ROM has ä, ö, ü, ñ and ß (as its β); other accented letters
 * get one of the eight characters the LCD lets a program define (CGRAM), drawn from the 5x7
 * font; beyond eight on one screen, or without a glyph, the ROM's closest form is shown (Ä as ä,
 * é as e).
 */

/** Codes of the A00 ROM for letters beyond ASCII. */
const ROM: Record<string, number> = {
  ä: 0xe1,
  ß: 0xe2,
  µ: 0xe4,
  ñ: 0xee,
  ö: 0xef,
  ü: 0xf5,
  "°": 0xdf,
};

/** The ROM's closest form of a letter it lacks, when no character of our own is left. */
const CLOSEST: Record<string, string> = { Ä: "ä", Ö: "ö", Ü: "ü", Ñ: "ñ" };

/** Codes 0x20 to 0x7D are ASCII in A00, except 0x5C, which the ROM draws as ¥. */
function asciiCode(char: string): number | undefined {
  const code = char.codePointAt(0) ?? 0;
  return char.length === 1 && code >= 0x20 && code <= 0x7d && char !== "\\" ? code : undefined;
}

function romCode(char: string): number | undefined {
  return asciiCode(char) ?? ROM[char];
}

export const CGRAM_SLOTS = 8;

export interface EncodedPage {
  /** Character codes, line by line; codes 0 to 7 are the page's own glyphs. */
  codes: number[][];
  /** The glyph of each CGRAM slot used, slot 0 first. */
  glyphs: Glyph[];
}

export function encodePage(lines: readonly string[]): EncodedPage {
  const glyphs: Glyph[] = [];
  const slots = new Map<string, number>();
  const codeOf = (char: string): number => {
    const rom = romCode(char);
    if (rom !== undefined) return rom;
    const known = slots.get(char);
    if (known !== undefined) return known;
    const glyph = glyphOf(char);
    if (glyph && glyphs.length < CGRAM_SLOTS) {
      slots.set(char, glyphs.length);
      glyphs.push(glyph);
      return glyphs.length - 1;
    }
    const closest = CLOSEST[char] ?? char.normalize("NFD")[0] ?? "?";
    return romCode(closest) ?? 0x3f;
  };
  return { codes: lines.map((line) => [...line].map(codeOf)), glyphs };
}

/** A glyph as the eight CGRAM row bytes of the HD44780: bit 4 the leftmost pixel. */
export function cgramRows(glyph: Glyph): number[] {
  return Array.from({ length: 8 }, (_, row) =>
    glyph.reduce((bits, column, x) => bits | (((column >> row) & 1) << (4 - x)), 0),
  );
}
