import PQueue from "p-queue";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { GoodTimeError } from "../goodtime/errors.js";
import type { NewTimeEntry, TimeEntry } from "../goodtime/types.js";
import type { Outbox, OutboxEntry } from "../store/outbox.js";
import { type BackoffSettings, backoffDelayMs } from "./backoff.js";
import { instantsToSend, isSameEntry, lookupWindow } from "./match.js";

/** The two calls the sync needs; GoodTimeClient provides them. */
export interface BookingClient {
  createTimeEntry(entry: NewTimeEntry): Promise<{ id: string }>;
  timeEntries(query: { userEmail: string; from: Date; to: Date }): Promise<TimeEntry[]>;
}

export type SyncPhase = "idle" | "booking" | "paused-auth" | "stopped";

export interface SyncState {
  phase: SyncPhase;
  lastBookedAt: string | null;
  lastError: { at: string; code: string; message: string; entryId?: string } | null;
  /** Why booking is paused as a whole (authentication), and when it tries again. */
  pausedUntil: string | null;
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

type Outcome = "booked" | "retry" | "refused" | "auth";

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
  #state: SyncState = { phase: "idle", lastBookedAt: null, lastError: null, pausedUntil: null };
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #authFailures = 0;
  #pumping = false;
  #pumpAgain = false;

  constructor(deps: SyncDeps) {
    this.#deps = deps;
    this.#queue = new PQueue({ concurrency: deps.settings.concurrency });
    this.#random = deps.random ?? Math.random;
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
    if (!this.#running) return;
    if (this.#state.phase === "paused-auth" && this.#timer) return;
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
      this.#deps.logger.error(
        { err: error },
        "sync could not read the outbox; trying again in a minute",
      );
      this.#schedule(60_000);
    } finally {
      this.#pumping = false;
    }
  }

  #fill(): void {
    if (!this.#running || this.#state.phase === "paused-auth") return;
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
          const outcome = await this.#book(entry);
          this.#afterOutcome(outcome);
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
        if (this.#state.phase === "paused-auth") this.#setPhase("idle");
        void this.#pump();
      },
      Math.min(delayMs, 60_000),
    );
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #afterOutcome(outcome: Outcome): void {
    if (outcome === "auth") {
      this.#authFailures++;
      const delay = Math.min(
        this.#deps.settings.authRetryMs * 2 ** (this.#authFailures - 1),
        this.#deps.settings.maxMs,
      );
      const until = new Date(this.#deps.clock.now().getTime() + delay);
      this.#state.pausedUntil = until.toISOString();
      this.#setPhase("paused-auth");
      this.#schedule(delay);
      return;
    }
    if (outcome === "booked") this.#authFailures = 0;
    this.#state.pausedUntil = null;
  }

  async #book(entry: OutboxEntry): Promise<Outcome> {
    const { outbox, client, clock, logger } = this.#deps;
    const log = logger.child({ entryId: entry.id, user: entry.email });
    let requestSent = false;
    // What may be on the server is the booked span, not the raw instants.
    const sent = { ...entry, ...instantsToSend(entry) };
    try {
      if (entry.ambiguous) {
        const window = lookupWindow(sent);
        const found = (await client.timeEntries({ userEmail: entry.email, ...window })).find(
          (remote) => isSameEntry(sent, remote),
        );
        if (found) {
          outbox.markBooked(entry.id, found.id, clock.now());
          this.#noteBooked();
          log.info(
            { serverId: found.id },
            "entry was already on the server; adopted it instead of booking again",
          );
          return "booked";
        }
      }
      outbox.markSending(entry.id, clock.now());
      requestSent = true;
      const created = await client.createTimeEntry({
        userEmail: entry.email,
        start: sent.start,
        end: sent.end,
        timeTypeId: entry.timeTypeId,
        projectId: entry.projectId,
        ...(this.#deps.settings.sendComment && entry.comment ? { comment: entry.comment } : {}),
      });
      outbox.markBooked(entry.id, created.id, clock.now());
      this.#noteBooked();
      log.info({ serverId: created.id, start: sent.start, end: sent.end }, "entry booked");
      return "booked";
    } catch (error) {
      // Before the request, the entry keeps whatever doubt it had; after it, only the answer counts.
      const ambiguous = requestSent
        ? !(error instanceof GoodTimeError) || error.kind === "ambiguous"
        : entry.ambiguous;
      return this.#failed(entry, error, ambiguous, log);
    }
  }

  #failed(entry: OutboxEntry, error: unknown, ambiguous: boolean, log: Logger): Outcome {
    const { outbox, clock, settings } = this.#deps;
    const now = clock.now();
    const attempts = outbox.get(entry.id)?.attempts ?? entry.attempts;
    const info =
      error instanceof GoodTimeError
        ? { message: error.message, code: error.code }
        : { message: String((error as Error)?.message ?? error), code: "INTERNAL" };
    this.#state.lastError = { at: now.toISOString(), ...info, entryId: entry.id };

    if (error instanceof GoodTimeError && error.kind === "refused") {
      outbox.markRefused(entry.id, info, now);
      log.warn(
        { code: info.code, reason: error.serverReason },
        "server refused the entry; parked for an admin",
      );
      return "refused";
    }
    if (error instanceof GoodTimeError && error.kind === "auth") {
      outbox.markRetry(entry.id, info, now, ambiguous, now);
      log.error(
        { code: info.code },
        "GoodTime refused the credentials; booking paused, nothing is dropped",
      );
      return "auth";
    }
    const retryAfter = error instanceof GoodTimeError ? error.retryAfterMs : undefined;
    const delay = backoffDelayMs(Math.max(attempts, 1), settings, this.#random, retryAfter);
    outbox.markRetry(entry.id, info, new Date(now.getTime() + delay), ambiguous, now);
    log.warn({ code: info.code, retryInMs: delay, ambiguous }, "booking failed; will retry");
    return "retry";
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
