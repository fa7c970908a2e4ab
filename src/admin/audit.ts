import { type AdminEvent, AdminEventLog } from "../store/admin-events.js";
import type { AdminDeps } from "./deps.js";

export type { AdminEvent } from "../store/admin-events.js";

/**
 * Every admin action, oldest first: badge changes, retries, edits, discards and review decisions,
 * each with its details (the reason given, what changed from what).
 */
export function listAudit(
  deps: AdminDeps,
  query: { since?: Date; subject?: string; limit: number },
): AdminEvent[] {
  return new AdminEventLog(deps.db).list(query);
}
