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
