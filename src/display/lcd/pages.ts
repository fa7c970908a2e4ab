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
 * characters. What does not fit one page goes on the next, which the display shows in turn; the
 * idle screen keeps to one page, its most important lines.
 */
export function lcdPages(blocks: readonly Block[], size: GridSize): string[][] {
  const lines = blocks.map((block) => lineOf(block, size.columns));
  const blank = " ".repeat(size.columns);
  const idle = blocks[0]?.kind === "clock";
  const pages: string[][] = [];
  for (let first = 0; first < lines.length; first += size.rows) {
    pages.push(lines.slice(first, first + size.rows));
    if (idle) break;
  }
  if (pages.length === 0) pages.push([]);
  return pages.map((page) => [...page, ...Array(size.rows - page.length).fill(blank)]);
}
