import { join } from "node:path";
import { DateTime } from "luxon";
import { AdminEventLog } from "../store/admin-events.js";
import { writeBackup } from "../store/backup.js";
import type { AdminDeps } from "./deps.js";

/**
 * A consistent copy of the database in `dir`, for an admin to download; the copy is recorded in
 * the admin record, since it carries everyone's working times out of the terminal.
 */
export async function backupCopy(
  deps: AdminDeps,
  dir: string,
): Promise<{ path: string; fileName: string; bytes: number }> {
  const stamp = DateTime.fromJSDate(deps.clock.now(), {
    zone: deps.config.terminal.timeZone,
  }).toFormat("yyyyMMdd-HHmmss");
  const fileName = `timeclock-${deps.config.terminal.name}-${stamp}.db`.replace(/[^\w.-]/g, "_");
  const path = join(dir, fileName);
  const { bytes } = await writeBackup(deps.db, path);
  new AdminEventLog(deps.db, deps.actor).append(
    "backup.copy",
    fileName,
    { bytes },
    deps.clock.now(),
  );
  return { path, fileName, bytes };
}
