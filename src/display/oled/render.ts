import { type Block, pairLine } from "../blocks.js";
import { GLYPH_COLUMNS, glyphOf } from "../font.js";
import { blankFrame, OLED_HEIGHT, OLED_WIDTH } from "./ssd1306.js";

/**
 * A screen's blocks drawn on the 128x64 OLED with the 5x7 font: the idle time three times its
 * size, titles twice (with the tap's time beside them when both fit), everything else in 21
 * columns, stacked from the top until the glass is full.
 */

const CELL = GLYPH_COLUMNS + 1;
export const OLED_COLUMNS = Math.floor(OLED_WIDTH / CELL);

export interface OledText {
  text: string;
  x: number;
  y: number;
  scale: number;
}

function widthOf(text: string, scale: number): number {
  return [...text].length * CELL * scale - scale;
}

function fitted(text: string, scale: number): string {
  const columns = Math.floor((OLED_WIDTH + scale) / (CELL * scale));
  return [...text].slice(0, columns).join("");
}

/**
 * Where each text goes. Rows sit on the controller's 8-pixel pages, so a changed line costs one
 * page; the font's eighth row is its line spacing.
 */
export function oledLayout(blocks: readonly Block[]): OledText[] {
  const texts: OledText[] = [];
  let y = 0;
  const add = (text: string, scale: number, x: number, at = y) =>
    texts.push({ text, x, y: at, scale });
  const centred = (text: string, scale: number) =>
    Math.max(0, Math.floor((OLED_WIDTH - widthOf(text, scale)) / 2));
  for (const block of blocks) {
    if (block.kind === "clock") {
      const time = fitted(block.text, 3);
      add(time, 3, centred(time, 3));
      const date = fitted(block.side, 1);
      add(date, 1, centred(date, 1), 24);
      y = 40;
    } else if (block.kind === "title" && widthOf(block.text, 2) <= OLED_WIDTH) {
      const big = widthOf(block.text, 2);
      const sideBig = widthOf(block.side, 2);
      const side = widthOf(block.side, 1);
      add(block.text, 2, 0);
      if (block.side && big + CELL + sideBig <= OLED_WIDTH) {
        add(block.side, 2, OLED_WIDTH - sideBig);
      } else if (block.side && big + CELL + side <= OLED_WIDTH) {
        add(block.side, 1, OLED_WIDTH - side, y + 8);
      }
      y += 16;
    } else {
      const text =
        block.kind === "pair"
          ? pairLine(block.label, block.value, OLED_COLUMNS)
          : block.kind === "title" && block.side
            ? pairLine(block.text, block.side, OLED_COLUMNS)
            : fitted(block.kind === "title" ? block.text : block.text, 1);
      add(text.trimEnd(), 1, 0);
      y += 8;
    }
    if (y >= OLED_HEIGHT) break;
  }
  return texts.filter((text) => text.y + 7 * text.scale <= OLED_HEIGHT);
}

function setPixel(frame: Uint8Array, x: number, y: number): void {
  if (x < 0 || x >= OLED_WIDTH || y < 0 || y >= OLED_HEIGHT) return;
  const index = (y >> 3) * OLED_WIDTH + x;
  frame[index] = (frame[index] ?? 0) | (1 << (y & 7));
}

/** The texts as a frame in the SSD1306's memory order. */
export function renderOled(texts: readonly OledText[]): Uint8Array {
  const frame = blankFrame();
  for (const { text, x, y, scale } of texts) {
    [...text].forEach((char, i) => {
      const glyph = glyphOf(char) ?? glyphOf("?") ?? [];
      glyph.forEach((column, c) => {
        for (let row = 0; row < 8; row++) {
          if (((column >> row) & 1) === 0) continue;
          for (let dx = 0; dx < scale; dx++) {
            for (let dy = 0; dy < scale; dy++) {
              setPixel(frame, x + (i * CELL + c) * scale + dx, y + row * scale + dy);
            }
          }
        }
      });
    });
  }
  return frame;
}
