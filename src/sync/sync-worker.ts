import PQueue from "p-queue";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { GoodTimeError } from "../goodtime/errors.js";
import type { NewTimeEntry, TimeEntry } from "../goodtime/types.js";
import { isBusy } from "../store/database.js";
import { type BackoffSettings, backoffDelayMs } from "./backoff.js";
import type { BookableEntry, BookingQueue } from "./booking-queue.js";
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
  /** The lone terminal's outbox (sqliteBookingQueue), or the site's entries in site mode. */
  queue: BookingQueue;
  client: BookingClient;
  clock: Clock;
  logger: Logger;
  settings: SyncSettings;
  random?: () => number;
  onState?: (state: SyncState) => void;
}

type Outcome =
  | { kind: "booked" | "retry" | "refused" | "lost" }
  | { kind: "pause"; cause: PauseCause; error: GoodTimeError };

/**
 * After the outbox could not be written (another process holds the write lock, the disk is full),
 * the worker waits this long before it touches it again: each attempt may wait the daemon's busy
 * timeout with the event loop frozen, so retrying at once would starve the taps.
 */
export const STORE_RETRY_MS = 1_000;

/** After the outbox could not be read for another reason (a site database that is down). */
export const QUEUE_ERROR_RETRY_MS = 5_000;

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
  /** Entries taken from the queue and not finished: given back if the worker stops first. */
  readonly #taken = new Set<string>();
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
  #pumpScheduled = false;
  /** Settles when the fill in progress, if any, has handed its entries to the p-queue. */
  #filled: Promise<void> = Promise.resolve();
  #storeRetryAt = 0;

  constructor(deps: SyncDeps) {
    this.#deps = deps;
    this.#queue = new PQueue({ concurrency: deps.settings.concurrency });
    this.#random = deps.random ?? Math.random;
    this.#pause = new SyncPause(deps.settings, deps.clock);
  }

  state(): SyncState {
    return { ...this.#state };
  }

  start(): void {
    this.#running = true;
    this.#setPhase("idle");
    this.wake();
    void this.#deps.queue.lastBookedAt().then(
      (at) => {
        if (at && !this.#state.lastBookedAt) this.#state.lastBookedAt = at.toISOString();
      },
      () => {},
    );
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
    await this.#filled;
    this.#queue.clear();
    await this.#queue.onIdle();
    const left = [...this.#taken];
    this.#taken.clear();
    if (left.length > 0) {
      try {
        await this.#deps.queue.release(left);
      } catch (error) {
        this.#deps.logger.warn(
          { err: error, entries: left.length },
          "could not give back entries taken for booking; others take them over after the lease",
        );
      }
    }
    this.#setPhase("stopped");
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    let filled = () => {};
    this.#filled = new Promise<void>((resolve) => {
      filled = resolve;
    });
    try {
      do {
        this.#pumpAgain = false;
        await this.#fill();
      } while (this.#pumpAgain && this.#running);
    } catch (error) {
      if (isBusy(error)) this.#storeTrouble(error);
      else {
        this.#deps.logger.error(
          { err: error, retryInMs: QUEUE_ERROR_RETRY_MS },
          "sync could not read the outbox; trying again shortly",
        );
        this.#schedule(QUEUE_ERROR_RETRY_MS);
      }
    } finally {
      this.#pumping = false;
      filled();
    }
  }

  async #fill(): Promise<void> {
    if (!this.#running || this.#pause.cause !== undefined) return;
    const storeWaitMs = this.#storeRetryAt - this.#deps.clock.monotonicMs();
    if (storeWaitMs > 0) {
      this.#schedule(storeWaitMs);
      return;
    }
    const free = this.#deps.settings.concurrency - this.#inFlight.size;
    if (free <= 0) return;
    const now = this.#deps.clock.now();
    const due = await this.#deps.queue.due(now, free, new Set(this.#inFlight));
    const fresh: BookableEntry[] = [];
    for (const entry of due) {
      this.#taken.add(entry.id);
      if (!this.#running) continue;
      this.#inFlight.add(entry.email);
      this.#setPhase("booking");
      if (entry.ambiguous) this.#run(entry, () => this.#book(entry));
      else fresh.push(entry);
    }
    if (fresh.length > 0) await this.#markAndSend(fresh);
    if (this.#inFlight.size === 0) await this.#sleepUntilDue();
  }

  /** Books one entry in a slot of the p-queue; the slot's end looks for more work. */
  #run(entry: BookableEntry, work: () => Promise<Outcome>): void {
    void this.#queue.add(async () => {
      try {
        this.#afterOutcome(await work());
      } catch (error) {
        // The outbox row keeps what was durably known (an entry marked sending stays ambiguous
        // and is looked up before it is sent again), so trying later loses and doubles nothing.
        this.#storeTrouble(error);
      } finally {
        this.#inFlight.delete(entry.email);
        this.#taken.delete(entry.id);
        if (this.#running) this.#pumpSoon();
      }
    });
  }

  /**
   * Looks for more work once the answers that have arrived are all handled, not after each one:
   * while a commit's fsync holds the thread, several answers arrive, and the next fill then marks
   * their successors in one commit instead of one fsync each.
   */
  #pumpSoon(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      void this.#pump();
    });
  }

  /**
   * Entries never sent before: logged in, marked sending together in one durable commit, then each
   * sent in its slot. A failed login or a mark that could not be written is each entry's failed
   * attempt, as in #book; an entry another terminal took over meanwhile is left to it.
   */
  async #markAndSend(entries: readonly BookableEntry[]): Promise<void> {
    const { queue, client, clock } = this.#deps;
    const wires = entries.map((entry) => ({ entry, sent: this.#wire(entry) }));
    let held: ReadonlySet<string> = new Set();
    try {
      await client.loggedIn();
      // Stopped meanwhile: nothing is marked or sent; stop() gives the entries back.
      if (this.#running) {
        held = await queue.markSending(
          wires.map(({ entry, sent }) => ({ id: entry.id, sent })),
          clock.now(),
        );
      }
    } catch (error) {
      for (const entry of entries) {
        this.#run(entry, () => this.#failed(entry, error, false, this.#entryLog(entry)));
      }
      return;
    }
    for (const { entry, sent } of wires) {
      if (!this.#running) {
        // Marked but not sent: the entry is looked up before it is sent, here or elsewhere.
        this.#inFlight.delete(entry.email);
      } else if (held.has(entry.id)) {
        this.#run(entry, () => this.#send(entry, sent, this.#entryLog(entry)));
      } else {
        this.#entryLog(entry).warn(
          "another terminal took this entry over meanwhile; not sending it from here",
        );
        this.#inFlight.delete(entry.email);
        this.#taken.delete(entry.id);
      }
    }
  }

  async #sleepUntilDue(): Promise<void> {
    this.#setPhase("idle");
    const now = this.#deps.clock.now();
    const next = await this.#deps.queue.nextDueAt(now);
    if (!next || !this.#running || this.#inFlight.size > 0) return;
    this.#schedule(Math.max(0, next.getTime() - now.getTime()));
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

  #entryLog(entry: BookableEntry): Logger {
    return this.#deps.logger.child({ entryId: entry.id, user: entry.email });
  }

  /** What the request for `entry` carries, as markSending records it. */
  #wire(entry: BookableEntry): NewTimeEntry {
    return {
      userEmail: entry.email,
      ...instantsToSend(entry),
      timeTypeId: entry.timeTypeId,
      projectId: entry.projectId,
      ...(this.#deps.settings.sendComment && entry.comment ? { comment: entry.comment } : {}),
    };
  }

  /** An entry that may be on the server already: looked up first, sent only if it is not there. */
  async #book(entry: BookableEntry): Promise<Outcome> {
    const { queue, client, clock } = this.#deps;
    const log = this.#entryLog(entry);
    const sent = this.#wire(entry);
    try {
      const found = await this.#lookUp(entry);
      if (found) {
        await queue.markBooked(entry.id, found.id, clock.now());
        this.#noteBooked();
        log.info(
          { serverId: found.id },
          "entry was already on the server; adopted it instead of booking again",
        );
        return { kind: "booked" };
      }
      // A login that fails here leaves the entry as it was, not in doubt.
      await client.loggedIn();
      const held = await queue.markSending([{ id: entry.id, sent }], clock.now());
      if (!held.has(entry.id)) {
        log.warn("another terminal took this entry over meanwhile; not sending it from here");
        return { kind: "lost" };
      }
    } catch (error) {
      return await this.#failed(entry, error, false, log);
    }
    return await this.#send(entry, sent, log);
  }

  /** The request for an entry durably marked sending, and its answer recorded. */
  async #send(entry: BookableEntry, sent: NewTimeEntry, log: Logger): Promise<Outcome> {
    const { queue, client, clock } = this.#deps;
    try {
      const created = await client.createTimeEntry(sent);
      await queue.markBooked(entry.id, created.id, clock.now());
      this.#noteBooked();
      log.info({ serverId: created.id, start: sent.start, end: sent.end }, "entry booked");
      return { kind: "booked" };
    } catch (error) {
      return await this.#failed(entry, error, true, log);
    }
  }

  /**
   * The entry on the server that an earlier request for `entry` may have created: looked for as it
   * was sent (an admin may have changed the entry since), or as it stands when nothing was recorded.
   */
  async #lookUp(entry: BookableEntry): Promise<TimeEntry | undefined> {
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
  async #failed(
    entry: BookableEntry,
    error: unknown,
    requestSent: boolean,
    log: Logger,
  ): Promise<Outcome> {
    const { queue, clock, settings } = this.#deps;
    const now = clock.now();
    const attempts = (await queue.attempts(entry.id)) || entry.attempts;
    const known = error instanceof GoodTimeError ? error : undefined;
    const info = known
      ? { message: known.message, code: known.code }
      : { message: String((error as Error)?.message ?? error), code: "INTERNAL" };
    this.#state.lastError = { at: now.toISOString(), ...info, entryId: entry.id };

    if (known?.kind === "refused" && requestSent) {
      await queue.markRefused(entry.id, info, now);
      log.warn(
        { code: info.code, reason: known.serverReason },
        "server refused the entry; parked for an admin",
      );
      return { kind: "refused" };
    }
    if (known?.kind === "auth" || known?.kind === "endpoint") {
      await queue.markRetry(entry.id, info, now, now);
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
    await queue.markRetry(entry.id, info, new Date(now.getTime() + delay), now);
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
