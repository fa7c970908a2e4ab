import { z } from "zod";
import type { BadgeIdentity, KnownBits } from "../badges/badge-id.js";

/**
 * The rules an admin's badge mapping must pass before it is stored, free of I/O so that the
 * command line and the CSV import apply the same ones.
 */

const emailShape = z.email();

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

/** GoodTime logins compare without case, so emails are stored lower-cased. */
export function normaliseEmail(input: string): EmailResult {
  const email = input.trim().toLowerCase();
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
