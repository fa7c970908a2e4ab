import type { BadgeIdentity } from "../badges/badge-id.js";
import { BadgeIndex } from "../badges/badge-index.js";
import { type DigitForm, readTypedBadge } from "./badge-input.js";
import { badgeText, controlCharacterProblem, normaliseEmail, optionalText } from "./badge-rules.js";
import { parseCsv, renderCsv, restoreCell } from "./csv.js";
import { isAdminError } from "./errors.js";

export const BADGE_CSV_COLUMNS = ["badge", "email", "name", "timeTypeId", "projectId"] as const;

export interface BadgeCsvRow {
  line: number;
  /** The badge as written in the file, for messages. */
  written: string;
  badge: BadgeIdentity;
  email: string;
  name: string | null;
  timeTypeId: string | null;
  projectId: string | null;
}

export interface BadgeCsvResult {
  rows: BadgeCsvRow[];
  /**
   * One `line N: ...` per bad line (`line N, column C (name): ...` per cell holding a control
   * character); the file is to be refused as a whole when any is present.
   */
  problems: string[];
}

const HEADER = BADGE_CSV_COLUMNS.join(",");

function headerProblem(fields: readonly string[]): string | null {
  if (fields.some((field) => field.includes(";"))) {
    return `the fields are separated by ";" (${JSON.stringify(fields.join(","))}), as spreadsheets set to many European languages save CSV; save the file with commas as the separator (LibreOffice: Save As, Text CSV, field delimiter ","; Excel: CSV UTF-8 (comma delimited)) and import it again`;
  }
  const names = fields.map((field) => field.trim().toLowerCase());
  const expected = BADGE_CSV_COLUMNS.map((column) => column.toLowerCase());
  if (names.length === expected.length && names.every((name, i) => name === expected[i])) {
    return null;
  }
  return `the header is ${JSON.stringify(fields.join(","))}; the first line must be ${HEADER}`;
}

type Column = (typeof BADGE_CSV_COLUMNS)[number];

/** Control characters in a cell, named by line and column so that the cell can be found. */
function controlProblems(line: number, cells: Partial<Record<Column, string>>): string[] {
  return Object.entries(cells).flatMap(([column, value]) => {
    const problem = value === undefined ? null : controlCharacterProblem(value.trim(), column);
    const at = BADGE_CSV_COLUMNS.indexOf(column as Column) + 1;
    return problem ? [`line ${line}, column ${at} (${column}): ${problem}`] : [];
  });
}

type FiledRow = BadgeIdentity & { row: BadgeCsvRow };

/** The badge of one line, or the line's problem; ten plain digits are read as `readTypedBadge` says. */
function lineBadge(
  written: string,
  digits: DigitForm | undefined,
  seen: BadgeIndex<BadgeIdentity>,
): { ok: true; badge: BadgeIdentity } | { ok: false; reason: string } {
  try {
    return { ok: true, badge: readTypedBadge(written, digits, seen).identity };
  } catch (error) {
    if (isAdminError(error)) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Validates a badge CSV completely, so that an import can report every bad line at once. `seen`
 * holds the badges the terminal knows, which settle how ten plain digits are read. Linear in the
 * file: each line's duplicate check is a few index probes.
 */
export function readBadgeCsv(
  text: string,
  digits: DigitForm | undefined,
  seen: BadgeIndex<BadgeIdentity>,
): BadgeCsvResult {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { rows: [], problems: [`line ${parsed.line}: ${parsed.reason}`] };
  const [header, ...records] = parsed.records;
  if (!header)
    return { rows: [], problems: [`the file is empty; the first line must be ${HEADER}`] };
  const problem = headerProblem(header.fields);
  if (problem) return { rows: [], problems: [`line ${header.line}: ${problem}`] };

  const rows: BadgeCsvRow[] = [];
  const filed = new BadgeIndex<FiledRow>();
  const problems: string[] = [];
  for (const { line, fields } of records) {
    const lineProblems: string[] = [];
    if (fields.length > BADGE_CSV_COLUMNS.length) {
      problems.push(
        `line ${line}: has ${fields.length} fields; expected at most ${BADGE_CSV_COLUMNS.length} (${HEADER}); quote fields that contain commas`,
      );
      continue;
    }
    // Cells the terminal's own export neutralised for spreadsheets read back as they were.
    const [written = "", emailText = "", nameText, timeTypeId, projectId] = fields.map(restoreCell);
    const controls = controlProblems(line, { email: emailText, name: nameText });
    if (controls.length > 0) {
      problems.push(...controls);
      continue;
    }
    const badge = lineBadge(written, digits, seen);
    if (!badge.ok) lineProblems.push(badge.reason);
    const email = normaliseEmail(emailText);
    if (!email.ok) lineProblems.push(email.reason);
    if (badge.ok) {
      const identity = badge.badge;
      const earlier = filed.matching(identity)[0]?.row;
      if (earlier) {
        lineProblems.push(
          `badge ${JSON.stringify(written)} is the same badge as ${JSON.stringify(earlier.written)} on line ${earlier.line}; each badge may appear once`,
        );
      } else if (email.ok) {
        const row = {
          line,
          written,
          badge: identity,
          email: email.email,
          name: optionalText(nameText),
          timeTypeId: optionalText(timeTypeId),
          projectId: optionalText(projectId),
        };
        rows.push(row);
        filed.add({ ...identity, row });
      }
    }
    if (lineProblems.length > 0) problems.push(`line ${line}: ${lineProblems.join("; ")}`);
  }
  return { rows, problems };
}

export interface BadgeCsvFields {
  badgeId: string;
  knownBits: 24 | 32 | 40;
  email: string;
  name: string | null;
  timeTypeId: string | null;
  projectId: string | null;
}

/**
 * The mapping as a CSV that `readBadgeCsv` reads back unchanged. Partial IDs of the low 32 bits are
 * written as the 10-digit card decimal and full IDs that are all digits carry 0x, so every plain
 * 10-digit badge of such a file is a card decimal: the terminal that wrote it knows them as such,
 * and `--digits dec10` says so to any other.
 */
export function renderBadgeCsv(badges: readonly BadgeCsvFields[]): string {
  return renderCsv([
    [...BADGE_CSV_COLUMNS],
    ...badges.map((badge) => [
      badgeText(badge),
      badge.email,
      badge.name ?? "",
      badge.timeTypeId ?? "",
      badge.projectId ?? "",
    ]),
  ]);
}
