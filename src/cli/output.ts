/** Rendering for admin commands: aligned tables for people, JSON for scripts. */

export type Row = Record<string, string | number | boolean | null | undefined>;

export function renderTable(rows: readonly Row[], columns?: readonly string[]): string {
  const keys = columns ?? Object.keys(rows[0] ?? {});
  if (rows.length === 0) return "(none)\n";
  const cell = (value: Row[string]) =>
    value === null || value === undefined ? "-" : String(value);
  const widths = keys.map((key) =>
    Math.max(key.length, ...rows.map((row) => cell(row[key]).length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return `${[line([...keys]), ...rows.map((row) => line(keys.map((key) => cell(row[key]))))].join("\n")}\n`;
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Terminal width that every human report fits, whatever the terminal. */
export const REPORT_WIDTH = 80;

/**
 * Breaks text into lines of at most `width` characters at spaces; a word longer than a line is
 * cut, never dropped.
 */
export function wrap(text: string, width = REPORT_WIDTH): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (line !== "") lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = "";
    }
    if (rest === "") continue;
    if (line === "") line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * `prefix` and the text wrapped after it within `width`, continuation lines indented by `indent`
 * (by default as far as the prefix reaches, so the text stands in one column).
 */
export function wrapAfter(
  prefix: string,
  text: string,
  width = REPORT_WIDTH,
  indent = " ".repeat(prefix.length),
): string[] {
  const [first = "", ...rest] = wrap(text, width - prefix.length);
  const more = wrap(rest.join(" "), width - indent.length).filter((line) => line !== "");
  return [`${prefix}${first}`, ...more.map((line) => `${indent}${line}`)];
}
