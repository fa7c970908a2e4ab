import { randomUUID } from "node:crypto";
import type { Config } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { BacklogState, Feedback, FeedbackSignal } from "../feedback/feedback.js";
import { roundingPolicy } from "../pairing/booked-span.js";
import type { PairingSettings, TapIntent } from "../pairing/pairing.js";
import type { BadgeRead } from "../readers/reader.js";
import { type Db, databasePath } from "../store/database.js";
import { classifyStorageError } from "../store/faults.js";
import { type RecordedTap, TapJournal } from "../store/journal.js";
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

  constructor(deps: TerminalDeps) {
    this.#deps = deps;
    this.#journal = new TapJournal(deps.db, deps.clock, deps.newId ?? randomUUID);
    this.#outbox = new Outbox(deps.db);
    this.#log = deps.logger.child({ part: "terminal" });
    this.#settings = {
      minGapSeconds: deps.config.pairing.minGapSeconds,
      maxShiftHours: deps.config.pairing.maxShiftHours,
      minShiftSeconds: deps.config.pairing.minShiftSeconds,
      terminalName: deps.config.terminal.name,
      commentTemplate: deps.config.entry.comment,
      rounding: roundingPolicy(deps.config.entry.rounding, deps.config.terminal.timeZone),
    };
  }

  /** A function key fixes the meaning of the next tap within `windowMs`. */
  setIntent(intent: TapIntent, windowMs: number): void {
    this.#pendingIntent = { intent, until: this.#deps.clock.monotonicMs() + windowMs };
  }

  handleRead(read: BadgeRead): RecordedTap | null {
    const { clock, config, feedback } = this.#deps;
    const reading = this.#deps.clockReading();
    const time = {
      at: clock.now(),
      monoMs: clock.monotonicMs(),
      bootId: reading.bootId,
      synced: reading.synced,
    };
    const intent = this.#takeIntent(time.monoMs);
    let tap: RecordedTap;
    try {
      this.#deps.beforeTap?.();
      tap = this.#journal.record(
        { ...read, source: this.#deps.source },
        time,
        this.#settings,
        { timeTypeId: config.entry.timeTypeId, projectId: config.entry.projectId },
        intent,
      );
    } catch (error) {
      // Nothing was stored, so the employee must not be told the tap counted.
      const dir = config.terminal.dataDir;
      const fault = classifyStorageError(error, dir, databasePath(dir));
      this.#log.error(
        { err: error, badge: read.badgeId, fault: fault?.fault, fix: fault?.message },
        "tap could NOT be stored; signalled as refused",
      );
      feedback.signal("refused");
      return null;
    }
    feedback.signal(signalFor(tap));
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
    const backlog = this.#outbox.backlog();
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
