import { type Db, fromDbTime, toDbTime } from "./database.js";
import { addReview } from "./reviews.js";

interface HeldRow {
  id: string;
  email: string;
  badge_id: string;
  badge_name: string | null;
  time_type_id: string;
  project_id: string | null;
  start_tap_id: number;
  start_wall: string;
  start_mono: number;
  start_boot: string;
  start_synced: number;
  end_wall: string;
  end_mono: number;
  end_boot: string;
  end_synced: number;
}

export interface ReanchorResult {
  released: number;
  reviewed: number;
}

/**
 * Gives entries that were held for an unsynchronised clock their true instants, once the clock is
 * synchronised. A tap of this boot is re-anchored from its monotonic reading (wall = mono + the
 * offset the synchronised clock shows now); a tap of an earlier boot that never synchronised cannot
 * be, so its entry goes to review with the reason.
 */
export function reanchorHeldEntries(
  db: Db,
  bootId: string,
  wallMinusMonoMs: number,
  now: Date,
): ReanchorResult {
  const rows = db
    .prepare(
      `SELECT e.id, e.email, s.badge_id, NULL AS badge_name, e.time_type_id, e.project_id, e.start_tap_id,
              s.wall_at AS start_wall, s.mono_ms AS start_mono, s.boot_id AS start_boot, s.clock_synced AS start_synced,
              t.wall_at AS end_wall, t.mono_ms AS end_mono, t.boot_id AS end_boot, t.clock_synced AS end_synced
       FROM entries e JOIN taps s ON s.id = e.start_tap_id JOIN taps t ON t.id = e.end_tap_id
       WHERE e.state = 'held'`,
    )
    .all() as HeldRow[];
  const result: ReanchorResult = { released: 0, reviewed: 0 };
  const instant = (wall: string, mono: number, boot: string, synced: number): Date | null => {
    if (synced === 1) return fromDbTime(wall);
    if (boot === bootId) return new Date(mono + wallMinusMonoMs);
    return null;
  };
  db.transaction(() => {
    for (const row of rows) {
      const start = instant(row.start_wall, row.start_mono, row.start_boot, row.start_synced);
      const end = instant(row.end_wall, row.end_mono, row.end_boot, row.end_synced);
      if (start && end && end > start) {
        db.prepare(
          "UPDATE entries SET start_at = ?, end_at = ?, state = 'pending', updated_at = ? WHERE id = ?",
        ).run(toDbTime(start), toDbTime(end), toDbTime(now), row.id);
        result.released++;
        continue;
      }
      const reason =
        "the terminal restarted before its clock was ever synchronised, so this shift's times cannot be trusted; book it with explicit times or discard it";
      addReview(db, {
        email: row.email,
        badgeId: row.badge_id,
        badgeName: row.badge_name,
        startTapId: row.start_tap_id,
        start: fromDbTime(row.start_wall),
        timeTypeId: row.time_type_id,
        projectId: row.project_id,
        reason,
        createdAt: now,
        entryId: row.id,
      });
      db.prepare(
        "UPDATE entries SET state = 'discarded', last_error = ?, updated_at = ? WHERE id = ?",
      ).run(`moved to review: ${reason}`, toDbTime(now), row.id);
      result.reviewed++;
    }
  }).immediate();
  return result;
}
