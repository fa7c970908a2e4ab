import { type Block, fitLine, pairLine } from "../blocks.js";

export interface GridSize {
  columns: number;
  rows: number;
}

function lineOf(block: Block, columns: number): string {
  switch (block.kind) {
    case "clock":
      return pairLine(block.text, block.side, columns);
    case "title":
      return block.side ? pairLine(block.text, block.side, columns) : fitLine(block.text, columns);
    case "line":
      return fitLine(block.text, columns);
    case "pair":
      return pairLine(block.label, block.value, columns);
  }
}

/**
 * A screen's blocks as pages of a character display, each exactly `rows` lines of `columns`
 * characters. What does not fit one page goes on the next, which the display shows in turn; on
 * the idle screen every page keeps the clock on top, so that a 16x2 shows each fault in turn
 * under the time instead of only the first.
 */
export function lcdPages(blocks: readonly Block[], size: GridSize): string[][] {
  const lines = blocks.map((block) => lineOf(block, size.columns));
  const blank = " ".repeat(size.columns);
  const idle = blocks[0]?.kind === "clock";
  const top = idle ? lines.slice(0, 1) : [];
  const rest = idle ? lines.slice(1) : lines;
  const perPage = Math.max(1, size.rows - top.length);
  const pages: string[][] = [];
  for (let first = 0; first < rest.length; first += perPage) {
    pages.push([...top, ...rest.slice(first, first + perPage)]);
  }
  if (pages.length === 0) pages.push(top);
  return pages.map((page) => [...page, ...Array(size.rows - page.length).fill(blank)]);
}
