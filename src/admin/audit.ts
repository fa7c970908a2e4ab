import { AdminEventLog } from "../store/admin-events.js";
import type { AdminEventQuery, DoorAdminEvent } from "../store/site/admin-events.js";
import type { AdminDeps } from "./deps.js";

export type { DoorAdminEvent as AuditEvent } from "../store/site/admin-events.js";

/**
 * Every admin action, oldest first: badge changes, retries, edits, discards and review decisions,
 * each with its details (the reason given, what changed from what). In site mode the site
 * database's record (entries, reviews and badges changed at any door) is read beside this door's
 * own (PINs, the console password), each event with the door it was made at.
 */
export async function listAudit(
  deps: AdminDeps,
  query: AdminEventQuery & { limit: number },
): Promise<DoorAdminEvent[]> {
  const door = deps.config.site?.terminalId ?? null;
  const own = new AdminEventLog(deps.db).list(query).map((event) => ({ ...event, door }));
  if (!deps.siteAudit) return own;
  const site = await deps.siteAudit(query);
  return [...site, ...own].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).slice(-query.limit);
}
