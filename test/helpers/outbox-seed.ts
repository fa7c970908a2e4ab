import { type RoundingPolicy, serialiseRounding } from "../../src/pairing/booked-span.js";
import type { Db } from "../../src/store/database.js";

export interface SeedEntry {
  id: string;
  email: string;
  start: Date;
  end: Date;
  timeTypeId: string;
  projectId?: string | null;
  comment?: string | null;
  rounding?: RoundingPolicy | null;
}

/**
 * Queues entries as pending in a real store, the way clock-out taps would. Every entry needs a
 * journalled tap to point at, so one synthetic tap is journalled first.
 */
export function queueEntries(db: Db, entries: readonly SeedEntry[]): void {
  const now = new Date().toISOString();
  db.transaction(() => {
    const tap = db
      .prepare(
        `INSERT INTO taps (badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome)
         VALUES ('0F00000001', 40, 'test-seed', ?, 0, 'seed', 1, 'clock-in')`,
      )
      .run(now);
    const insert = db.prepare(
      `INSERT INTO entries (id, email, start_at, end_at, rounding, time_type_id, project_id, comment,
         start_tap_id, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    );
    for (const e of entries) {
      insert.run(
        e.id,
        e.email,
        e.start.toISOString(),
        e.end.toISOString(),
        serialiseRounding(e.rounding ?? null),
        e.timeTypeId,
        e.projectId ?? null,
        e.comment ?? null,
        tap.lastInsertRowid,
        now,
        now,
      );
    }
  })();
}

/** `count` back-to-back shifts per user, each `minutes` long and a minute apart, so none overlap. */
export function shiftsFor(
  emails: readonly string[],
  count: number,
  timeTypeId: string,
  from = Date.parse("2026-03-02T06:00:00Z"),
  minutes = 30,
): SeedEntry[] {
  return emails.flatMap((email, u) =>
    Array.from({ length: count }, (_, i) => {
      const start = from + i * (minutes + 1) * 60_000;
      return {
        id: `e-${u}-${i}`,
        email,
        start: new Date(start),
        end: new Date(start + minutes * 60_000),
        timeTypeId,
        comment: "test",
      };
    }),
  );
}
