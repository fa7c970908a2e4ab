import type { PairingSettings } from "../../src/pairing/pairing.js";
import type { Db } from "../../src/store/database.js";
import { type RecordedTap, TapJournal } from "../../src/store/journal.js";
import type { FakeClock } from "../fakes/clock.js";

const settings: PairingSettings = {
  minGapSeconds: 60,
  maxShiftHours: 12,
  minShiftSeconds: 0,
  terminalName: "door",
  commentTemplate: "{terminal}",
  rounding: null,
};

/** Taps through the real journal, as the daemon writes them, on the test's fake clock. */
export function tapper(
  db: Db,
  clock: FakeClock,
  bootId = "boot-1",
  overrides: Partial<PairingSettings> = {},
) {
  let n = 0;
  const journal = new TapJournal(db, clock, () => `entry-${++n}`);
  return (
    badgeId: string,
    knownBits: 24 | 32 | 40 = 40,
    synced = true,
    source = "test",
  ): RecordedTap =>
    journal.record(
      { badgeId, knownBits, raw: badgeId, source },
      { at: clock.now(), monoMs: clock.monotonicMs(), bootId, synced },
      { ...settings, ...overrides },
      { timeTypeId: "work", projectId: null },
    );
}
