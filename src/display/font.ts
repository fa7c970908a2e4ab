import font from "oled-font-5x7";

/**
 * Glyphs for the OLED and for the LCD's own characters: the 5x7 font of the `oled-font-5x7`
 * package (ASCII, Ä Ö Ü ä ö ü, € and °), with the accented letters of Latin scripts made from
 * its letters and a drawn accent, so that "José", "Łukasz" or "Çelik" come out as written or as
 * close as five by eight pixels allow.
 *
 * A glyph is five column bytes, bit 0 the top row, eight rows: rows 0 and 1 are free above the
 * font's small letters, row 7 below every letter.
 */

export const GLYPH_COLUMNS = 5;
export type Glyph = readonly number[];

const BASE = new Map<string, Glyph>(
  font.lookup.map((char, i) => [char, font.fontData.slice(i * 5, i * 5 + 5)]),
);

/** Drawn here: the font has no ß. */
const EXTRA = new Map<string, Glyph>([["ß", [0x7e, 0x01, 0x49, 0x56, 0x20]]]);

/**
 * Accents as rows of five pixels ("X" lit): two rows above a small letter, one row above a
 * capital (which moves down a row to make room), one row below any letter.
 */
const ABOVE: Record<string, { small: [string, string]; capital: string }> = {
  "\u0300": { small: [".X...", "..X.."], capital: ".XX.." }, // grave
  "\u0301": { small: ["...X.", "..X.."], capital: "..XX." }, // acute
  "\u0302": { small: ["..X..", ".X.X."], capital: ".XXX." }, // circumflex
  "\u0303": { small: [".X..X", "X.XX."], capital: "XX.XX" }, // tilde
  "\u0304": { small: [".XXX.", "....."], capital: ".XXX." }, // macron
  "\u0306": { small: [".X.X.", "..X.."], capital: ".X.X." }, // breve
  "\u0307": { small: ["..X..", "....."], capital: "..X.." }, // dot above
  "\u0308": { small: [".X.X.", "....."], capital: ".X.X." }, // diaeresis
  "\u030A": { small: ["..X..", ".X.X."], capital: "..X.." }, // ring
  "\u030B": { small: ["..X.X", ".X.X."], capital: ".X.X." }, // double acute
  "\u030C": { small: [".X.X.", "..X.."], capital: ".X.X." }, // caron
};
const BELOW: Record<string, string> = {
  "\u0326": "..X..", // comma below
  "\u0327": "..XX.", // cedilla
  "\u0328": "...XX", // ogonek
};

/** Letters Unicode does not build from a base and a mark: the nearest plain spelling. */
const NEAREST: Record<string, string> = {
  Æ: "AE",
  æ: "ae",
  Œ: "OE",
  œ: "oe",
  Ø: "O",
  ø: "o",
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ð: "D",
  ð: "d",
  Þ: "Th",
  þ: "th",
  ı: "i",
  "\u2013": "-",
  "\u2014": "-",
  "\u2018": "'",
  "\u2019": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u00A0": " ",
};

function rowBits(row: string, bit: number): number[] {
  return [...row].map((pixel) => (pixel === "X" ? 1 << bit : 0));
}

function overlay(glyph: readonly number[], rows: readonly (readonly number[])[]): number[] {
  return glyph.map((column, x) => rows.reduce((bits, row) => bits | (row[x] ?? 0), column));
}

/** The font's own glyph, or null. Dotless i and j take an accent in place of their dot. */
function plain(char: string): Glyph | null {
  return BASE.get(char) ?? EXTRA.get(char) ?? null;
}

function compose(base: Glyph, marks: readonly string[]): Glyph | null {
  let glyph = [...base];
  for (const mark of marks) {
    const above = ABOVE[mark];
    const below = BELOW[mark];
    if (above) {
      const topFree = glyph.every((column) => (column & 0b11) === 0);
      if (topFree) {
        glyph = overlay(glyph, [rowBits(above.small[0], 0), rowBits(above.small[1], 1)]);
      } else if (glyph.every((column) => (column & 0x80) === 0)) {
        glyph = overlay(
          glyph.map((column) => (column << 1) & 0xff),
          [rowBits(above.capital, 0)],
        );
      } else {
        return null;
      }
    } else if (below) {
      glyph = overlay(glyph, [rowBits(below, 7)]);
    } else {
      return null;
    }
  }
  return glyph;
}

/** The glyph of one character, built from the font when it has none; null when none can be made. */
export function glyphOf(char: string): Glyph | null {
  const own = plain(char);
  if (own) return own;
  const [base = "", ...marks] = [...char.normalize("NFD")];
  if (marks.length === 0) return null;
  const baseGlyph = base === "i" || base === "j" ? plain(base)?.map((c) => c & ~0b11) : plain(base);
  return baseGlyph ? compose(baseGlyph, marks) : null;
}

/**
 * Text as the font can show it: each character drawn or composed, else its nearest plain
 * spelling (Ø as O, æ as ae), else its base letter, else "?".
 */
export function drawableText(text: string): string {
  return [...text.normalize("NFC")]
    .map((char) => {
      if (glyphOf(char)) return char;
      const nearest = NEAREST[char];
      if (nearest) return nearest;
      const base = char.normalize("NFD")[0] ?? "";
      return plain(base) ? base : "?";
    })
    .join("");
}
