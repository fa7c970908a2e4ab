import { join } from "node:path";
import { expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { siteDoorJournalHours, terminalJournalHours } from "../../src/display/hours-source.js";
import type { EntryDraft, PairingSettings, TapTime } from "../../src/pairing/pairing.js";
import { openDatabase } from "../../src/store/database.js";
import { SiteJournal } from "../../src/store/site-journal.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

/**
 * A site door's journal as the screen's fallback: the shifts its own clock-outs closed, whether
 * the site decided them or the door did while cut off, and the open shift as the door last knew
 * it. The site's entries are not copied here; the span is kept with the door's tap.
 */

const ANNA = "anna@example.com";
const BADGE = "0A00000001";
const SETTINGS: PairingSettings = {
  minGapSeconds: 0,
  maxShiftHours: 12,
  minShiftSeconds: 0,
  terminalName: "door-a",
  commentTemplate: "",
  rounding: null,
};

/** One boot since midnight: the pairing measures a shift by the monotonic clock. */
function time(iso: string): TapTime {
  const at = new Date(iso);
  return {
    at,
    monoMs: at.getTime() - Date.parse("2026-03-09T00:00:00Z"),
    bootId: "boot",
    synced: true,
  };
}

const read = { badgeId: BADGE, knownBits: 40 as const, raw: "", source: "serial:/dev/serial0" };

it("reads the shifts closed at this door, decided by the site or by the door alone, and the open shift it last knew", async () => {
  const clock = new FakeClock("2026-03-09T06:00:00Z");
  const db = openDatabase(join(tempDir("timeclock-site-journal-hours-"), "data"), {
    logger: silentLogger(),
  });
  const journal = new SiteJournal(db, clock);
  journal.applyBadgeChanges(1, [{ badgeId: BADGE, knownBits: 40, email: ANNA }], [], true);
  const decided: EntryDraft<string> = {
    id: "site-entry",
    email: ANNA,
    start: new Date("2026-03-09T07:00:00Z"),
    end: new Date("2026-03-09T11:00:00Z"),
    timeTypeId: "work",
    projectId: null,
    comment: "",
    startTapId: "door-b/1",
    endTapId: "door-a/1",
    held: false,
    rounding: null,
  };
  // Clocked in at door B, out here: the site paired it and said so.
  journal.recordDecided(1, read, time("2026-03-09T11:00:00Z"), {
    outcome: "clock-out",
    reason: null,
    reasonCode: null,
    email: ANNA,
    badgeName: null,
    entry: decided,
    reviewed: false,
    stateAfter: { openShift: null, lastAccepted: time("2026-03-09T11:00:00Z") },
  });
  // Then in and out here while the site did not answer.
  const defaults = { timeTypeId: "work", projectId: null };
  journal.recordProvisional(
    2,
    "door-a/2",
    read,
    time("2026-03-09T12:00:00Z"),
    SETTINGS,
    defaults,
    "in",
  );
  const out = journal.recordProvisional(
    3,
    "door-a/3",
    read,
    time("2026-03-09T14:30:00Z"),
    SETTINGS,
    defaults,
    "door-entry",
  );
  expect(out.outcome).toBe("clock-out");
  const window = {
    email: ANNA,
    from: new Date("2026-03-09T00:00:00Z"),
    to: new Date("2026-03-16T00:00:00Z"),
  };

  const hours = siteDoorJournalHours(db);
  const closed = await hours.shifts({ ...window, entryId: "door-entry" });
  expect(
    closed.entries.map((entry) => [entry.id, entry.start.toISOString(), entry.end.toISOString()]),
  ).toEqual([
    ["site-entry", "2026-03-09T07:00:00.000Z", "2026-03-09T11:00:00.000Z"],
    ["door-entry", "2026-03-09T12:00:00.000Z", "2026-03-09T14:30:00.000Z"],
  ]);
  expect(closed.entry?.id).toBe("door-entry");
  expect(closed.openStart).toBeNull();

  journal.recordProvisional(
    4,
    "door-a/4",
    read,
    time("2026-03-09T15:00:00Z"),
    SETTINGS,
    defaults,
    "x",
  );
  expect((await hours.shifts({ ...window, entryId: null })).openStart).toEqual(
    new Date("2026-03-09T15:00:00Z"),
  );
  // A lone terminal's reading finds none of it: the entries table stays empty in site mode.
  expect((await terminalJournalHours(db).shifts({ ...window, entryId: null })).entries).toEqual([]);
  db.close();
});
