import type { Db } from "../store/database.js";
import {
  doorOpenShiftStart,
  doorShiftOfPerson,
  doorShiftsOfPerson,
  entriesOfPerson,
  entryOfPerson,
  openShiftStart,
  type PersonEntry,
} from "../store/door.js";

/**
 * Where the screen at the door reads a person's shifts after a tap: this terminal's journal
 * (below) or, in site mode, the site database with the shifts of every door (site/hours.ts),
 * which falls back to the door's journal when the site does not answer in time.
 */

export interface PersonShiftsQuery {
  email: string;
  /** Entries that start in [from, to). */
  from: Date;
  to: Date;
  /** The entry the tap queued, if any. */
  entryId: string | null;
}

export interface PersonShifts {
  entries: PersonEntry[];
  /** When the person's open shift began, or null when none is open. */
  openStart: Date | null;
  /** The entry `entryId`, when it is known here. */
  entry: PersonEntry | undefined;
}

export interface HoursSource {
  shifts(query: PersonShiftsQuery): Promise<PersonShifts>;
}

/** A lone terminal's journal, which holds every entry of its people. */
export function terminalJournalHours(db: Db): HoursSource {
  return {
    async shifts({ email, from, to, entryId }) {
      return {
        entries: entriesOfPerson(db, email, from, to),
        openStart: openShiftStart(db, email),
        entry: entryId === null ? undefined : entryOfPerson(db, entryId),
      };
    },
  };
}

/**
 * A site door's journal: the shifts its own clock-outs closed and the open shift as it last knew
 * it, not the shifts closed at other doors, so it is the site door's fallback only.
 */
export function siteDoorJournalHours(db: Db): HoursSource {
  return {
    async shifts({ email, from, to, entryId }) {
      return {
        entries: doorShiftsOfPerson(db, email, from, to),
        openStart: doorOpenShiftStart(db, email),
        entry: entryId === null ? undefined : doorShiftOfPerson(db, entryId),
      };
    },
  };
}
