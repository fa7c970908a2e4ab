import * as z from "zod";
import type { BadgeIdentity, KnownBits } from "../badges/badge-id.js";

/**
 * The rules an admin's badge mapping must pass before it is stored, free of I/O so that the
 * command line and the CSV import apply the same ones.
 */

const emailShape = z.email();

/**
 * C0 and C1 control characters and DEL (a tab, a line break or an escape code would break the
 * lines of logs and tables, or drive a terminal), and the bidirectional controls that make a name
 * display as something it is not.
 */
const CONTROL_CHARACTER = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Why `value` may not be stored as `what` (e.g. "name"), or null when it holds no control character. */
export function controlCharacterProblem(value: string, what: string): string | null {
  const found = CONTROL_CHARACTER.exec(value);
  if (!found) return null;
  const code = (found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
  return `${what} ${JSON.stringify(value)} holds the control character U+${code} at character ${found.index + 1}; names and emails may not contain control characters (tabs, line breaks, escape codes): type it again without them`;
}

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

/** GoodTime logins compare without case, so emails are stored lower-cased. */
export function normaliseEmail(input: string): EmailResult {
  const email = input.trim().toLowerCase();
  const control = controlCharacterProblem(email, "email");
  if (control) return { ok: false, reason: control };
  if (!emailShape.safeParse(email).success) {
    return {
      ok: false,
      reason: `email ${JSON.stringify(input)} is not an email address such as anna.schmidt@example.com`,
    };
  }
  return { ok: true, email };
}

/** An optional id or name: blank means none. */
export function optionalText(input: string | undefined): string | null {
  const text = input?.trim() ?? "";
  return text === "" ? null : text;
}

export type NameResult = { ok: true; name: string | null } | { ok: false; reason: string };

/** A badge's name: optional, shown in logs, tables and entry comments, so free of control characters. */
export function normaliseName(input: string | undefined): NameResult {
  const name = optionalText(input);
  const control = name === null ? null : controlCharacterProblem(name, "name");
  return control ? { ok: false, reason: control } : { ok: true, name };
}

/**
 * A badge as admins write it: the hex ID (with 0x when it is all digits, so it cannot read as a
 * card decimal), a partial ID of 32 bits as the card decimal, of 24 bits as facility,card.
 */
export function badgeText(badge: BadgeIdentity): string {
  const value = BigInt(`0x${badge.badgeId}`);
  const bits: KnownBits = badge.knownBits;
  if (bits === 24) return `${Number(value >> 16n) & 0xff},${Number(value & 0xffffn)}`;
  if (bits === 32) return (value & 0xffff_ffffn).toString().padStart(10, "0");
  // Ten hex characters that are all digits would read as ambiguous; the 0x prefix settles it.
  return /^[0-9]{10}$/.test(badge.badgeId) ? `0x${badge.badgeId}` : badge.badgeId;
}

/** What the server knows, for `--check`. */
export interface ServerCatalog {
  userEmails: ReadonlySet<string>;
  timeTypeIds: ReadonlySet<string>;
  projectIds: ReadonlySet<string>;
}

/** The catalog, or why the server could not be asked (then the mapping is saved unchecked). */
export type CatalogResult = { ok: true; catalog: ServerCatalog } | { ok: false; warning: string };

/** Asks the server for its catalog; the CLI and the console each bring their own client. */
export type CatalogSource = () => Promise<CatalogResult>;

export interface MappingFields {
  email: string;
  timeTypeId: string | null;
  projectId: string | null;
}

function listed(values: ReadonlySet<string>): string {
  const all = [...values];
  const shown = all.slice(0, 8).join(", ");
  return all.length > 8 ? `${shown}, … (${all.length} in all)` : shown || "none";
}

/** Problems with a mapping that the server's users, time types and projects reveal. */
export function checkAgainstServer(mapping: MappingFields, catalog: ServerCatalog): string[] {
  const problems: string[] = [];
  if (!catalog.userEmails.has(mapping.email)) {
    problems.push(
      `email ${JSON.stringify(mapping.email)} is not a user of the GoodTime account (see timeclock server users)`,
    );
  }
  if (mapping.timeTypeId !== null && !catalog.timeTypeIds.has(mapping.timeTypeId)) {
    problems.push(
      `time type ${JSON.stringify(mapping.timeTypeId)} does not exist on the server; known: ${listed(catalog.timeTypeIds)}`,
    );
  }
  if (mapping.projectId !== null && !catalog.projectIds.has(mapping.projectId)) {
    problems.push(
      `project ${JSON.stringify(mapping.projectId)} does not exist on the server; known: ${listed(catalog.projectIds)}`,
    );
  }
  return problems;
}
