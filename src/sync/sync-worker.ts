import PQueue from "p-queue";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { GoodTimeError } from "../goodtime/errors.js";
import type { NewTimeEntry, TimeEntry } from "../goodtime/types.js";
import { isBusy } from "../store/database.js";
import type { Outbox, OutboxEntry } from "../store/outbox.js";
import { type BackoffSettings, backoffDelayMs } from "./backoff.js";
import { instantsToSend, isSameEntry, lookupTarget, lookupWindow } from "./match.js";
import { type PauseCause, SyncPause } from "./pause.js";

/** The calls the sync needs; GoodTimeClient provides them. */
export interface BookingClient {
  /** Makes sure a token is held, logging in if need be. */
  loggedIn(): Promise<void>;
  createTimeEntry(entry: NewTimeEntry): Promise<{ id: string }>;
  timeEntries(query: { userEmail: string; from: Date; to: Date }): Promise<TimeEntry[]>;
}

/**
 * "paused-auth": GoodTime refused the credentials. "paused-endpoint": the address answered as
 * something other than the API (a captive portal, a redirect, a 404 for the API, a 5xx, an answer
 * that cannot be read). Either way every entry waits; none is parked.
 */
export type SyncPhase = "idle" | "booking" | "paused-auth" | "paused-endpoint" | "stopped";

export interface SyncState {
  phase: SyncPhase;
  lastBookedAt: string | null;
  lastError: { at: string; code: string; message: string; entryId?: string } | null;
  /** While booking is paused as a whole: when it tries again (UTC). */
  pausedUntil: string | null;
  /** While booking is paused as a whole: why, in words for an admin. */
  pauseReason: string | null;
}

export interface SyncSettings extends BackoffSettings {
  concurrency: number;
  /** Delay before trying again after the server refused the credentials (doubles, up to maxMs). */
  authRetryMs: number;
  /** Whether entries carry a comment (API v2.1). */
  sendComment: boolean;
}

export interface SyncDeps {
  outbox: Outbox;
  client: BookingClient;
  clock: Clock;
  logger: Logger;
  settings: SyncSettings;
  random?: () => number;
  onState?: (state: SyncState) => void;
}

type Outcome =
  | { kind: "booked" | "retry" | "refused" }
  | { kind: "pause"; cause: PauseCause; error: GoodTimeError };

/**
 * After the outbox could not be written (another process holds the write lock, the disk is full),
 * the worker waits this long before it touches it again: each attempt may wait the daemon's busy
 * timeout with the event loop frozen, so retrying at once would starve the taps.
 */
export const STORE_RETRY_MS = 1_000;

/**
 * Books the outbox into GoodTime. Users are booked in parallel (p-queue), each user's entries in
 * start order. Exactly once: before any request the entry is durably marked ambiguous; only a
 * definite answer clears the mark, and an ambiguous entry is looked up on the server before it is
 * sent again.
 */
export class SyncWorker {
  readonly #deps: SyncDeps;
  readonly #queue: PQueue;
  readonly #inFlight = new Set<string>();
  readonly #random: () => number;
  readonly #pause: SyncPause;
  #state: SyncState = {
    phase: "idle",
    lastBookedAt: null,
    lastError: null,
    pausedUntil: null,
    pauseReason: null,
  };
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #pumpAgain = false;
  #storeRetryAt = 0;

  constructor(deps: SyncDeps) {
    this.#deps = deps;
    this.#queue = new PQueue({ concurrency: deps.settings.concurrency });
    this.#random = deps.random ?? Math.random;
    this.#pause = new SyncPause(deps.settings, deps.clock);
    const lastBooked = deps.outbox.lastBookedAt();
    this.#state.lastBookedAt = lastBooked ? lastBooked.toISOString() : null;
  }

  state(): SyncState {
    return { ...this.#state };
  }

  start(): void {
    this.#running = true;
    this.#setPhase("idle");
    this.wake();
  }

  /** Looks for due entries now (after a clock-out, or when an admin retried something). */
  wake(): void {
    if (!this.#running || this.#pause.cause !== undefined) return;
    this.#clearTimer();
    void this.#pump();
  }

  /** Lets requests in flight finish and record their answer, then stops. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimer();
    this.#queue.clear();
    await this.#queue.onIdle();
    this.#setPhase("stopped");
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        this.#fill();
      } while (this.#pumpAgain && this.#running);
    } catch (error) {
      if (isBusy(error)) this.#storeTrouble(error);
      else {
        this.#deps.logger.error(
          { err: error },
          "sync could not read the outbox; trying again in a minute",
        );
        this.#schedule(60_000);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #fill(): void {
    if (!this.#running || this.#pause.cause !== undefined) return;
    const storeWaitMs = this.#storeRetryAt - this.#deps.clock.monotonicMs();
    if (storeWaitMs > 0) {
      this.#schedule(storeWaitMs);
      return;
    }
    const free = this.#deps.settings.concurrency - this.#inFlight.size;
    if (free <= 0) return;
    const now = this.#deps.clock.now();
    const due = this.#deps.outbox
      .nextPerUser(now, free + this.#inFlight.size)
      .filter((entry) => !this.#inFlight.has(entry.email))
      .slice(0, free);
    for (const entry of due) {
      this.#inFlight.add(entry.email);
      this.#setPhase("booking");
      void this.#queue.add(async () => {
        try {
          this.#afterOutcome(await this.#book(entry));
        } catch (error) {
          // The outbox row keeps what was durably known (an entry marked sending stays ambiguous
          // and is looked up before it is sent again), so trying later loses and doubles nothing.
          this.#storeTrouble(error);
        } finally {
          this.#inFlight.delete(entry.email);
          if (this.#running) void this.#pump();
        }
      });
    }
    if (this.#inFlight.size === 0) this.#sleepUntilDue();
  }

  #sleepUntilDue(): void {
    this.#setPhase("idle");
    const next = this.#deps.outbox.nextDueAt();
    if (!next) return;
    this.#schedule(Math.max(0, next.getTime() - this.#deps.clock.now().getTime()));
  }

  #schedule(delayMs: number): void {
    this.#clearTimer();
    // Capped so that a wall-clock step cannot put the worker to sleep for hours.
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        const left = this.#pause.remainingMs();
        if (left > 0) {
          this.#schedule(left);
          return;
        }
        if (this.#pause.cause !== undefined) this.#endPause();
        void this.#pump();
      },
      Math.min(delayMs, 60_000),
    );
    this.#timer.unref();
  }

  #endPause(): void {
    this.#pause.end();
    this.#state.pausedUntil = null;
    this.#state.pauseReason = null;
    this.#setPhase("idle");
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #afterOutcome(outcome: Outcome): void {
    if (outcome.kind === "booked" || outcome.kind === "refused") this.#pause.reset();
    if (outcome.kind !== "pause") return;
    const delay = this.#pause.begin(outcome.cause, outcome.error.retryAfterMs);
    if (delay === undefined) return;
    const until = new Date(this.#deps.clock.now().getTime() + delay);
    this.#state.pausedUntil = until.toISOString();
    this.#state.pauseReason = outcome.error.message;
    this.#setPhase(outcome.cause === "auth" ? "paused-auth" : "paused-endpoint");
    this.#schedule(delay);
  }

  async #book(entry: OutboxEntry): Promise<Outcome> {
    const { outbox, client, clock, logger } = this.#deps;
    const log = logger.child({ entryId: entry.id, user: entry.email });
    let requestSent = false;
    try {
      if (entry.ambiguous) {
        const found = await this.#lookUp(entry);
        if (found) {
          outbox.markBooked(entry.id, found.id, clock.now());
          this.#noteBooked();
          log.info(
            { serverId: found.id },
            "entry was already on the server; adopted it instead of booking again",
          );
          return { kind: "booked" };
        }
      }
      const sent: NewTimeEntry = {
        userEmail: entry.email,
        ...instantsToSend(entry),
        timeTypeId: entry.timeTypeId,
        projectId: entry.projectId,
        ...(this.#deps.settings.sendComment && entry.comment ? { comment: entry.comment } : {}),
      };
      // A login that fails here leaves the entry as it was, not in doubt.
      await client.loggedIn();
      outbox.markSending(entry.id, sent, clock.now());
      requestSent = true;
      const created = await client.createTimeEntry(sent);
      outbox.markBooked(entry.id, created.id, clock.now());
      this.#noteBooked();
      log.info({ serverId: created.id, start: sent.start, end: sent.end }, "entry booked");
      return { kind: "booked" };
    } catch (error) {
      return this.#failed(entry, error, requestSent, log);
    }
  }

  /**
   * The entry on the server that an earlier request for `entry` may have created: looked for as it
   * was sent (an admin may have changed the entry since), or as it stands when nothing was recorded.
   */
  async #lookUp(entry: OutboxEntry): Promise<TimeEntry | undefined> {
    const target = lookupTarget(entry);
    let remote: TimeEntry[];
    try {
      remote = await this.#deps.client.timeEntries({
        userEmail: target.email,
        ...lookupWindow(target),
      });
    } catch (error) {
      // The service's own "no such user": nothing of that user can be on the server.
      if (
        error instanceof GoodTimeError &&
        error.kind === "refused" &&
        error.code === "GT_NOT_FOUND"
      ) {
        return undefined;
      }
      throw error;
    }
    return remote.find((candidate) => isSameEntry(target, candidate));
  }

  /**
   * Records a failed attempt. The entry stays marked ambiguous from markSending: only a booking or
   * a definite refusal of a request sent after the lookup clears it (Outbox.markBooked/markRefused).
   */
  #failed(entry: OutboxEntry, error: unknown, requestSent: boolean, log: Logger): Outcome {
    const { outbox, clock, settings } = this.#deps;
    const now = clock.now();
    const attempts = outbox.get(entry.id)?.attempts ?? entry.attempts;
    const known = error instanceof GoodTimeError ? error : undefined;
    const info = known
      ? { message: known.message, code: known.code }
      : { message: String((error as Error)?.message ?? error), code: "INTERNAL" };
    this.#state.lastError = { at: now.toISOString(), ...info, entryId: entry.id };

    if (known?.kind === "refused" && requestSent) {
      outbox.markRefused(entry.id, info, now);
      log.warn(
        { code: info.code, reason: known.serverReason },
        "server refused the entry; parked for an admin",
      );
      return { kind: "refused" };
    }
    if (known?.kind === "auth" || known?.kind === "endpoint") {
      outbox.markRetry(entry.id, info, now, now);
      log.error(
        { code: info.code, reason: known.message },
        known.kind === "auth"
          ? "GoodTime refused the credentials; booking paused, nothing is dropped"
          : "the answer is about GoodTime's endpoint, not this entry; booking paused, nothing is dropped",
      );
      return { kind: "pause", cause: known.kind, error: known };
    }
    const delay = backoffDelayMs(
      Math.max(attempts, 1),
      settings,
      this.#random,
      known?.retryAfterMs,
    );
    outbox.markRetry(entry.id, info, new Date(now.getTime() + delay), now);
    log.warn(
      { code: info.code, retryInMs: delay, ambiguous: entry.ambiguous || requestSent },
      "booking failed; will retry",
    );
    return { kind: "retry" };
  }

  #storeTrouble(error: unknown): void {
    this.#storeRetryAt = this.#deps.clock.monotonicMs() + STORE_RETRY_MS;
    this.#deps.logger.warn(
      { err: error, retryInMs: STORE_RETRY_MS },
      isBusy(error)
        ? "outbox busy (another process holds the database's write lock); booking tries again shortly"
        : "outbox could not be written; booking tries again shortly",
    );
    this.#schedule(STORE_RETRY_MS);
  }

  #noteBooked(): void {
    this.#state.lastBookedAt = this.#deps.clock.now().toISOString();
    this.#deps.onState?.(this.state());
  }

  #setPhase(phase: SyncPhase): void {
    if (this.#state.phase === phase) return;
    this.#state.phase = phase;
    this.#deps.onState?.(this.state());
  }
}
