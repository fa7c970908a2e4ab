import { BadgeIndex } from "../badges/badge-index.js";
import { BadgeRepository, type NewBadge } from "../store/badges.js";
import { readBadgeCsv, renderBadgeCsv } from "./badge-csv.js";
import type { DigitForm } from "./badge-input.js";
import { resolvePartial } from "./badge-input.js";
import type { CatalogSource } from "./badge-rules.js";
import {
  checkWithServer,
  notifyBadges,
  overlapWarnings,
  seenBadges,
  storeBadges,
} from "./badges.js";
import type { AdminDeps, DaemonNote } from "./deps.js";
import { AdminError } from "./errors.js";

export interface ImportBadgesInput {
  /** The CSV text (header badge,email,name,timeTypeId,projectId). */
  text: string;
  /** Where it came from, for the admin record and messages, e.g. the file name. */
  source: string;
  digits?: DigitForm;
  /** Check the whole file and report what would change; write nothing. */
  dryRun?: boolean;
  check?: CatalogSource;
}

export interface ImportBadgesResult {
  added: number;
  updated: number;
  dryRun: boolean;
  warnings: string[];
  /** null on a dry run: nothing changed, nothing to tell. */
  daemon: DaemonNote | null;
}

/**
 * Adds or updates every badge of a CSV, all or nothing: any bad line refuses the whole file with
 * every problem listed (ADM_BAD_FILE). Linear in the file and the mapping: badges are matched
 * through indexes, never by comparing each line with every other.
 */
export async function importBadges(
  deps: AdminDeps,
  input: ImportBadgesInput,
): Promise<ImportBadgesResult> {
  await deps.siteBadges?.refresh();
  const repository = new BadgeRepository(deps.db, deps.clock);
  const seen = seenBadges(repository);
  const { rows, problems } = readBadgeCsv(input.text, input.digits, seen);
  const warnings: string[] = [];
  if (problems.length === 0) {
    const labelled = rows.map((row) => ({ ...row, label: `line ${row.line}: ` }));
    problems.push(...(await checkWithServer(input.check, labelled, warnings)));
  }
  if (problems.length > 0) {
    throw new AdminError(
      "ADM_BAD_FILE",
      `import of ${JSON.stringify(input.source)} refused: ${problems.length} bad line${problems.length === 1 ? "" : "s"}; nothing was written. Fix the lines and import again`,
      problems,
    );
  }
  const resolved: NewBadge[] = rows.map((row) => ({
    ...resolvePartial(row.badge, seen),
    email: row.email,
    name: row.name,
    timeTypeId: row.timeTypeId,
    projectId: row.projectId,
  }));
  if (input.dryRun) {
    const mapped = new Set(repository.list().map((badge) => badge.badgeId));
    const updated = resolved.filter((badge) => mapped.has(badge.badgeId)).length;
    return { added: resolved.length - updated, updated, dryRun: true, warnings, daemon: null };
  }
  const outcomes = await storeBadges(deps, resolved, `import ${input.source}`);
  const mapping = new BadgeIndex(repository.list());
  for (const badge of resolved) warnings.push(...overlapWarnings(mapping, badge));
  const added = outcomes.filter((result) => result.outcome === "added").length;
  return {
    added,
    updated: outcomes.length - added,
    dryRun: false,
    warnings,
    daemon: await notifyBadges(
      deps,
      "import",
      resolved.map((badge) => badge.badgeId),
    ),
  };
}

/** The mapping as CSV that `importBadges` reads back unchanged. */
export function exportBadges(deps: AdminDeps): string {
  return renderBadgeCsv(new BadgeRepository(deps.db, deps.clock).list());
}
