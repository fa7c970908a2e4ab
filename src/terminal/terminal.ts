import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { timeOrderedUuid } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import type { BacklogState, Feedback, FeedbackSignal } from "../feedback/feedback.js";
import { roundingPolicy } from "../pairing/booked-span.js";
import type { PairingSettings, TapIntent, TapTime } from "../pairing/pairing.js";
import type { BadgeRead } from "../readers/reader.js";
import { type Db, databasePath } from "../store/database.js";
import { classifyStorageError } from "../store/faults.js";
import { type RecordedTap, TapJournal, type TapRead } from "../store/journal.js";
import { Outbox } from "../store/outbox.js";

export interface ClockReading {
  synced: boolean;
  bootId: string;
}

export interface TerminalDeps {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  feedback: Pick<Feedback, "signal" | "setBacklog">;
  /** Told when an entry is ready to book. */
  onEntryQueued: () => void;
  /** The clock's trust at this moment; cheap, called on every tap. */
  clockReading: () => ClockReading;
  /** Where reads come from, for the journal (e.g. "serial:/dev/serial0"). */
  source: string;
  /** Throws when the journal must not be written any more (its file was deleted or replaced). */
  beforeTap?: () => void;
  newId?: () => string;
  /**
   * Site mode: records a tap in the site database (or, when it does not answer in time, pairs it
   * here as provisional); taps are then taken one at a time with `take`.
   */
  recorder?: SiteRecorder;
  /** Site mode: what the amber LED shows, instead of the local outbox. */
  backlog?: () => { refused: boolean; unbooked: boolean };
}

/** Site mode's tap path (site/recorder.ts). */
export interface SiteRecorder {
  record(read: TapRead, time: TapTime, intent?: TapIntent): Promise<RecordedTap>;
}

/** How this terminal pairs taps, from its config. */
export function pairingSettings(config: Config): PairingSettings {
  return {
    minGapSeconds: config.pairing.minGapSeconds,
    maxShiftHours: config.pairing.maxShiftHours,
    minShiftSeconds: config.pairing.minShiftSeconds,
    terminalName: config.terminal.name,
    commentTemplate: config.entry.comment,
    rounding: roundingPolicy(config.entry.rounding, config.terminal.timeZone),
  };
}

function signalFor(tap: RecordedTap): FeedbackSignal {
  if (tap.outcome === "refused") return tap.email ? "refused" : "unknown-badge";
  return tap.outcome;
}

/**
 * The terminal's core: a badge read becomes a journalled tap, durably, and only then feedback.
 * better-sqlite3 is synchronous, so taps are handled one at a time in arrival order.
 */
export class Terminal {
  readonly #deps: TerminalDeps;
  readonly #journal: TapJournal;
  readonly #outbox: Outbox;
  readonly #settings: PairingSettings;
  readonly #log: Logger;
  #pendingIntent: { intent: TapIntent; until: number } | null = null;
  /** Site mode: the tap being recorded; the next waits for it, so taps keep their order. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(deps: TerminalDeps) {
    this.#deps = deps;
    this.#journal = new TapJournal(
      deps.db,
      deps.clock,
      deps.newId ?? (() => timeOrderedUuid(deps.clock.now())),
    );
    this.#outbox = new Outbox(deps.db);
    this.#log = deps.logger.child({ part: "terminal" });
    this.#settings = pairingSettings(deps.config);
  }

  /** A function key fixes the meaning of the next tap within `windowMs`. */
  setIntent(intent: TapIntent, windowMs: number): void {
    this.#pendingIntent = { intent, until: this.#deps.clock.monotonicMs() + windowMs };
  }

  #timeNow(): TapTime {
    const { clock } = this.#deps;
    const reading = this.#deps.clockReading();
    return {
      at: clock.now(),
      monoMs: clock.monotonicMs(),
      bootId: reading.bootId,
      synced: reading.synced,
    };
  }

  /**
   * A read becomes a journalled tap, then feedback; on a lone terminal, synchronously. `source`
   * is journalled with it: the reader's, unless the tap came another way (a PIN).
   */
  handleRead(read: BadgeRead, source = this.#deps.source): RecordedTap | null {
    const { config } = this.#deps;
    const time = this.#timeNow();
    const intent = this.#takeIntent(time.monoMs);
    let tap: RecordedTap;
    try {
      this.#deps.beforeTap?.();
      tap = this.#journal.record(
        { ...read, source },
        time,
        this.#settings,
        { timeTypeId: config.entry.timeTypeId, projectId: config.entry.projectId },
        intent,
      );
    } catch (error) {
      return this.#notStored(read, error);
    }
    return this.#told(read, time, tap);
  }

  /**
   * The same in site mode: the time and the function key are read on arrival, the tap waits for
   * the one before it, then goes to the site recorder.
   */
  take(read: BadgeRead, source = this.#deps.source): Promise<RecordedTap | null> {
    const recorder = this.#deps.recorder;
    if (!recorder) return Promise.resolve(this.handleRead(read, source));
    const time = this.#timeNow();
    const intent = this.#takeIntent(time.monoMs);
    const run = this.#chain.then(async () => {
      try {
        this.#deps.beforeTap?.();
        const tap = await recorder.record({ ...read, source }, time, intent);
        return this.#told(read, time, tap);
      } catch (error) {
        return this.#notStored(read, error);
      }
    });
    this.#chain = run;
    return run;
  }

  #notStored(read: BadgeRead, error: unknown): null {
    // Nothing was stored, so the employee must not be told the tap counted.
    const dir = this.#deps.config.terminal.dataDir;
    const fault = classifyStorageError(error, dir, databasePath(dir));
    this.#log.error(
      { err: error, badge: read.badgeId, fault: fault?.fault, fix: fault?.message },
      "tap could NOT be stored; signalled as refused",
    );
    this.#deps.feedback.signal("refused");
    return null;
  }

  #told(read: BadgeRead, time: TapTime, tap: RecordedTap): RecordedTap {
    this.#deps.feedback.signal(signalFor(tap));
    this.#log.info(
      {
        tapId: tap.tapId,
        at: time.at.toISOString(),
        badge: read.badgeId,
        outcome: tap.outcome,
        user: tap.email ?? undefined,
        reason: tap.reason ?? undefined,
        entryId: tap.entry?.id,
        held: tap.entry?.held || undefined,
      },
      `tap ${tap.outcome}`,
    );
    if (tap.entry && !tap.entry.held) this.#deps.onEntryQueued();
    if (tap.entry) this.refreshBacklog();
    return tap;
  }

  /** Amber LED: anything stored but not yet booked, or stuck for an admin. */
  refreshBacklog(): BacklogState {
    const backlog = this.#deps.backlog?.() ?? this.#outbox.backlog();
    const state: BacklogState = backlog.refused ? "stuck" : backlog.unbooked ? "pending" : "booked";
    this.#deps.feedback.setBacklog(state);
    return state;
  }

  #takeIntent(nowMono: number): TapIntent | undefined {
    const pending = this.#pendingIntent;
    this.#pendingIntent = null;
    return pending && nowMono <= pending.until ? pending.intent : undefined;
  }
}
