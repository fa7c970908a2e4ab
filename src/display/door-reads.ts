import { badgeText } from "../admin/badge-rules.js";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { roundingPolicy } from "../pairing/booked-span.js";
import type { Db } from "../store/database.js";
import { unbookedCount } from "../store/door.js";
import type { TapEvent } from "../terminal/events.js";
import { terminalStatus } from "../terminal/status-documents.js";
import { entryMinutes, hoursWindow, personHours } from "./hours.js";
import { type HoursSource, siteDoorJournalHours, terminalJournalHours } from "./hours-source.js";
import { idleFacts, isOffline, type PublishedState } from "./idle.js";
import type { IdleFacts, TapFacts } from "./screen.js";

/**
 * What the screen needs from the database, read by the display process on its own connection
 * after the terminal reported a committed tap or a status change. A person's hours come from
 * `hours`: the door's journal, or in site mode the site database (site/hours.ts).
 */
export class DoorReads {
  readonly #db: Db;
  readonly #config: Config;
  readonly #clock: Clock;
  readonly #hours: HoursSource;

  constructor(db: Db, config: Config, clock: Clock, hours?: HoursSource) {
    this.#db = db;
    this.#config = config;
    this.#clock = clock;
    this.#hours = hours ?? (config.site ? siteDoorJournalHours(db) : terminalJournalHours(db));
  }

  /** The daemon's documents of this run (older ones are from a run before) and the backlog. */
  published(): PublishedState {
    const status = terminalStatus(this.#db);
    const startedAt = status.read("terminal")?.value.startedAt ?? "";
    const current = <Key extends "sync" | "reader" | "clock" | "site">(key: Key) => {
      const document = status.read(key);
      return document && document.updatedAt >= startedAt ? document.value : null;
    };
    return {
      sync: current("sync"),
      reader: current("reader"),
      clock: current("clock"),
      // A site door's journal holds no entries: the site's count, as its link last read it.
      unbooked: this.#config.site ? (current("site")?.unbooked ?? 0) : unbookedCount(this.#db),
    };
  }

  idle(): IdleFacts {
    return idleFacts(this.published());
  }

  async tapFacts(tap: TapEvent): Promise<TapFacts> {
    const badge = badgeText({ badgeId: tap.badgeId, knownBits: tap.knownBits });
    const base: TapFacts = {
      name: tap.badgeName ?? tap.email,
      badge,
      shiftMinutes: null,
      todayMinutes: 0,
      weekMinutes: 0,
      openAfter: false,
      entryHeld: false,
      offline: false,
    };
    if (tap.email === null) return base;
    const { timeZone } = this.#config.terminal;
    const now = this.#clock.now();
    // A shift counts on the day it began, so the week is read from its first day.
    const window = hoursWindow(now, timeZone);
    const { entries, openStart, entry } = await this.#hours.shifts({
      email: tap.email,
      from: window.weekStart,
      to: window.weekEnd,
      entryId: tap.entryId,
    });
    const hours = personHours(
      entries,
      openStart,
      roundingPolicy(this.#config.entry.rounding, timeZone),
      now,
      timeZone,
    );
    return {
      ...base,
      ...hours,
      shiftMinutes: entry ? entryMinutes(entry) : null,
      openAfter: openStart !== null,
      entryHeld: entry?.state === "held",
      offline: isOffline(idleFacts(this.published()).booking),
    };
  }
}
