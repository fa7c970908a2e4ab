import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { ReaderStatus } from "../readers/reader.js";
import type { SiteStatus } from "../site/link.js";
import type { BackupStatus } from "../store/backup-schedule.js";
import type { Db } from "../store/database.js";
import { RuntimeStatus } from "../store/runtime-status.js";
import type { SyncState } from "../sync/sync-worker.js";
import type { ClockState } from "../system/clock-state.js";
import type { ServerClockSkew } from "./server-clock.js";

/** Which daemon published: `status` judges every other document against its start. */
export interface TerminalDocument {
  pid: number;
  startedAt: string;
  name: string;
}

/** The sync's state, or why there is no sync at all. */
export type SyncDocument = SyncState | { phase: "no-credentials"; detail?: string };

export type ClockDocument = ClockState & { checkedAt: string };

/** Every document the daemon publishes, by key: the one type writer and readers share. */
export interface TerminalStatusDocuments {
  terminal: TerminalDocument;
  reader: ReaderStatus;
  sync: SyncDocument;
  clock: ClockDocument;
  "server-clock": ServerClockSkew;
  backup: BackupStatus;
  /** Site mode: this door's line to the site database. */
  site: SiteStatus;
}

export type StatusKey = keyof TerminalStatusDocuments;

export function terminalStatus(db: Db): RuntimeStatus<TerminalStatusDocuments> {
  return new RuntimeStatus<TerminalStatusDocuments>(db);
}

/** A booking only moves lastBookedAt; publishing it may wait this long. */
const SYNC_STATUS_MS = 2_000;

/**
 * Publishes the daemon's documents. A failed write is logged, never thrown: status is for people,
 * and a tap or a booking must not fail because a status line could not be stored.
 */
export class StatusPublisher {
  readonly #status: RuntimeStatus<TerminalStatusDocuments>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onPublished: (key: StatusKey) => void;
  #publishedSyncKey = "";
  #syncTimer: NodeJS.Timeout | undefined;
  #latestSync: SyncDocument | undefined;

  /** `onPublished` hears of each document written, e.g. to refresh a live status page. */
  constructor(
    db: Db,
    clock: Clock,
    logger: Logger,
    onPublished: (key: StatusKey) => void = () => {},
  ) {
    this.#status = terminalStatus(db);
    this.#clock = clock;
    this.#logger = logger;
    this.#onPublished = onPublished;
  }

  publish<Key extends StatusKey>(key: Key, value: TerminalStatusDocuments[Key]): void {
    try {
      this.#status.write(key, value, this.#clock.now());
    } catch (error) {
      this.#logger.warn({ err: error, key }, "could not publish status");
      return;
    }
    this.#onPublished(key);
  }

  /**
   * A change of phase or error is published at once; a booking only moves lastBookedAt, which may
   * wait a moment, so that draining a backlog does not add a status commit per entry.
   */
  publishSync(state: SyncDocument): void {
    this.#latestSync = state;
    const key = JSON.stringify([
      state.phase,
      "lastError" in state ? state.lastError : null,
      "pausedUntil" in state ? state.pausedUntil : null,
    ]);
    if (key !== this.#publishedSyncKey) {
      this.#publishedSyncKey = key;
      clearTimeout(this.#syncTimer);
      this.#syncTimer = undefined;
      this.publish("sync", state);
      return;
    }
    if (this.#syncTimer) return;
    this.#syncTimer = setTimeout(() => {
      this.#syncTimer = undefined;
      if (this.#latestSync) this.publish("sync", this.#latestSync);
    }, SYNC_STATUS_MS);
    this.#syncTimer.unref();
  }

  /** Drops a publication still waiting: the stopping sync publishes its last phase itself. */
  close(): void {
    clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
  }
}
