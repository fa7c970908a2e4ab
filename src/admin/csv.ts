/**
 * RFC 4180 CSV, small and strict: what spreadsheets write when an admin saves a badge list, and what
 * they open again. Reading accepts CRLF or LF line ends, a UTF-8 byte order mark and blank lines;
 * writing quotes only the fields that need it and ends every record with CRLF.
 */

export interface CsvRecord {
  /** Line of the file on which the record starts, from 1, for messages. */
  line: number;
  fields: string[];
}

export type CsvParseResult =
  | { ok: true; records: CsvRecord[] }
  | { ok: false; line: number; reason: string };

const BOM = "\uFEFF";

function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0] === "";
}

export function parseCsv(text: string): CsvParseResult {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!isBlank(fields)) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  while (i < input.length) {
    const char = input[i];
    if (char === '"') {
      if (field !== "") {
        return {
          ok: false,
          line,
          reason: `a quote inside the unquoted field ${JSON.stringify(field)}; put the whole field in quotes and double the quotes inside it`,
        };
      }
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= input.length) {
          return {
            ok: false,
            line: quoteLine,
            reason: "a quoted field is never closed; add the closing quote",
          };
        }
        const inside = input[i];
        if (inside === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (inside === "\n") line++;
        field += inside;
        i++;
      }
      const next = input[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        return {
          ok: false,
          line,
          reason: `text after the closing quote of ${JSON.stringify(field)}; a quoted field must end at a comma or the line end`,
        };
      }
      continue;
    }
    if (char === ",") {
      fields.push(field);
      field = "";
      i++;
      continue;
    }
    if (char === "\r" || char === "\n") {
      endRecord();
      i += char === "\r" && input[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += char;
    i++;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return { ok: true, records };
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * Cells a spreadsheet would run as a formula (OWASP's CSV injection rule): a leading =, +, -, @,
 * tab or carriage return. Leading apostrophes are counted too, so that `restoreCell` can tell a
 * neutralised cell from one that began with an apostrophe of its own.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;
/**
 * A plain decimal number such as -1.5 is left alone: a spreadsheet reads it as a number, not a
 * formula, and an apostrophe would turn a figure of the payroll into text that does not add up.
 */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** The cell as a spreadsheet may open it safely: a formula-like cell gets a leading apostrophe. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseCell`, for files the terminal wrote and reads back (the badge list). */
export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

export function csvField(value: string): string {
  const safe = neutraliseCell(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Every export goes through here, so that no cell of any of them opens as a formula. */
export function renderCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}
