import pg from "pg";
import type { SiteConfig } from "../config/site-schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { PairingSettings, UserState } from "../pairing/pairing.js";
import { BADGES_CHANNEL } from "../store/site/badges.js";
import {
  openSitePool,
  type SitePool,
  type SiteTarget,
  siteClientConfig,
} from "../store/site/connection.js";
import { copyDoorTaps } from "../store/site/merge.js";
import { migrateSite } from "../store/site/migrations.js";
import { ENTRIES_CHANNEL, USERS_CHANNEL } from "../store/site/taps.js";
import { siteUnbookedCount, siteUserStates, touchTerminal } from "../store/site/terminals.js";
import type { SiteJournal } from "../store/site-journal.js";
import { copySiteBadges } from "./badges.js";

/**
 * A terminal's line to the site database: whether it answers (a heartbeat every few seconds
 * records this door's last contact), a LISTEN connection for changes made at other doors
 * (badges, users' states, entries to book), and, each time the database answers again, the
 * copy and merge of the taps this door journalled meanwhile, then a fresh copy of the badges
 * and of every user's state.
 */

/** How often a terminal reports to the site and checks that the database answers. */
export const HEARTBEAT_MS = 5_000;
/** Taps copied to the site per transaction batch. */
const COPY_BATCH = 200;

export interface SiteStatus {
  terminalId: string;
  online: boolean;
  lastContactAt: string | null;
  /** Taps journalled here that the site database does not have yet, and how many were paired alone. */
  waiting: number;
  provisional: number;
  /** Entries of the whole site not booked yet, as last read (the screen's "waiting to be booked"). */
  unbooked: number | null;
  lastMerge: { at: string; agreed: number; conflicts: number } | null;
  lastError: string | null;
}

export interface SiteLinkDeps {
  config: SiteConfig;
  password: string | undefined;
  terminalName: string;
  journal: SiteJournal;
  clock: Clock;
  logger: Logger;
  settings: PairingSettings;
  /** Entries became due somewhere in the site. */
  onEntries: () => void;
  onStatus: (status: SiteStatus) => void;
}

export class SiteLink {
  readonly #deps: SiteLinkDeps;
  readonly #log: Logger;
  /** Bookings, copies, heartbeats. */
  readonly pool: SitePool;
  /** The tap path's own connections, so that a tap never queues behind a booking. */
  readonly tapPool: SitePool;
  #listener: pg.Client | null = null;
  #online = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #catchingUp: Promise<void> | null = null;
  #pendingUsers = new Set<string>();
  #usersTimer: NodeJS.Timeout | undefined;
  #status: SiteStatus;

  constructor(deps: SiteLinkDeps) {
    this.#deps = deps;
    this.#log = deps.logger.child({ part: "site" });
    const target: SiteTarget = { config: deps.config, password: deps.password };
    const name = `timeclock ${deps.config.terminalId}`;
    this.pool = openSitePool(target, { applicationName: name, logger: this.#log, max: 4 });
    this.tapPool = openSitePool(target, {
      applicationName: `${name} taps`,
      logger: this.#log,
      max: 2,
    });
    this.#status = {
      terminalId: deps.config.terminalId,
      online: false,
      lastContactAt: null,
      waiting: 0,
      provisional: 0,
      unbooked: null,
      lastMerge: null,
      lastError: null,
    };
  }

  /** Whether the site database answered the last time anything asked it. */
  get online(): boolean {
    return this.#online;
  }

  /** Sets up the schema if need be, then keeps in touch; never throws for a database that is down. */
  async start(): Promise<void> {
    this.#deps.journal.reserveIds();
    await this.#beat();
    this.#timer = setInterval(() => void this.#beat(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  /** The tap path saw the database fail: taps go provisional until the next heartbeat answers. */
  noteTrouble(error: unknown): void {
    if (this.#online) {
      this.#log.warn(
        { err: error },
        "the site database did not answer in time; taps are paired here until it does",
      );
    }
    this.#setOnline(false, error);
  }

  /** A tap was journalled that the site does not have yet: copy it when the database answers. */
  noteWaiting(): void {
    if (this.#online) void this.#catchUp();
    else this.#publish();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#usersTimer);
    await this.#catchingUp;
    const listener = this.#listener;
    this.#listener = null;
    await listener?.end().catch(() => {});
    await Promise.allSettled([this.pool.end(), this.tapPool.end()]);
  }

  async #beat(): Promise<void> {
    if (this.#stopped) return;
    const waiting = this.#deps.journal.waiting();
    try {
      if (!this.#online) await migrateSite(this.pool, this.#log);
      await touchTerminal(this.pool, {
        id: this.#deps.config.terminalId,
        name: this.#deps.terminalName,
        pid: process.pid,
        provisional: waiting.provisional,
      });
      this.#status.lastContactAt = this.#deps.clock.now().toISOString();
      this.#status.unbooked = await siteUnbookedCount(this.pool);
      if (!this.#online) {
        await this.#listen();
        this.#setOnline(true, null);
        this.#log.info("the site database answers; catching up with the site");
        await this.#catchUp(true);
      } else if (waiting.taps > 0) {
        await this.#catchUp();
      }
    } catch (error) {
      if (this.#online || this.#status.lastError === null) {
        this.#log.warn(
          { err: error },
          "the site database does not answer; this door pairs taps with what it last knew",
        );
      }
      this.#setOnline(false, error);
    }
    this.#publish();
  }

  async #listen(): Promise<void> {
    const old = this.#listener;
    this.#listener = null;
    await old?.end().catch(() => {});
    const client = new pg.Client(
      siteClientConfig(
        { config: this.#deps.config, password: this.#deps.password },
        `timeclock ${this.#deps.config.terminalId} listen`,
      ),
    );
    client.on("error", (error) => {
      if (this.#listener === client) this.#setOnline(false, error);
    });
    client.on("notification", (message) => this.#notified(message.channel, message.payload));
    await client.connect();
    await client.query(
      `LISTEN ${BADGES_CHANNEL}; LISTEN ${USERS_CHANNEL}; LISTEN ${ENTRIES_CHANNEL}`,
    );
    this.#listener = client;
  }

  #notified(channel: string, payload: string | undefined): void {
    if (channel === ENTRIES_CHANNEL) this.#deps.onEntries();
    else if (channel === BADGES_CHANNEL)
      void this.#refreshBadges().catch((error) => this.noteTrouble(error));
    else if (channel === USERS_CHANNEL && payload) {
      this.#pendingUsers.add(payload);
      this.#usersTimer ??= setTimeout(() => {
        this.#usersTimer = undefined;
        void this.#refreshUsers().catch((error) => this.noteTrouble(error));
      }, 100);
    }
  }

  async #refreshUsers(all = false): Promise<void> {
    const emails = all ? null : [...this.#pendingUsers];
    this.#pendingUsers.clear();
    if (emails && emails.length === 0) return;
    const states: Map<string, UserState<string>> = await siteUserStates(this.pool, emails);
    this.#deps.journal.saveUsers(states, this.#deps.clock.now());
  }

  async #refreshBadges(): Promise<void> {
    const copied = await copySiteBadges(this.pool, this.#deps.journal);
    if (copied) this.#log.info(copied, "badge mapping updated from the site");
  }

  /** Copies and merges what waits, then (after being cut off) takes the site's badges and users. */
  #catchUp(full = false): Promise<void> {
    if (this.#catchingUp) return this.#catchingUp;
    this.#catchingUp = (async () => {
      try {
        await this.#copyWaiting();
        if (full) {
          await this.#refreshBadges();
          await this.#refreshUsers(true);
        }
      } catch (error) {
        this.noteTrouble(error);
      } finally {
        this.#catchingUp = null;
        this.#publish();
      }
    })();
    return this.#catchingUp;
  }

  async #copyWaiting(): Promise<void> {
    const { journal, clock } = this.#deps;
    for (;;) {
      const batch = journal.toCopy(COPY_BATCH);
      if (batch.length === 0) return;
      const result = await copyDoorTaps(
        this.pool,
        this.#deps.config.terminalId,
        batch,
        this.#deps.settings,
        clock.now(),
      );
      journal.markCopied(result.copied, clock.now());
      journal.saveUsers(result.states, clock.now());
      if (result.agreed + result.conflicts > 0) {
        this.#status.lastMerge = {
          at: clock.now().toISOString(),
          agreed: result.agreed,
          conflicts: result.conflicts,
        };
        this.#log.info(
          { taps: result.copied.length, agreed: result.agreed, conflicts: result.conflicts },
          result.conflicts > 0
            ? "merged taps paired while cut off from the site; shifts that differ went to review"
            : "merged taps paired while cut off from the site; every shift agreed",
        );
      }
      if (result.copied.length < batch.length) return;
    }
  }

  #setOnline(online: boolean, error: unknown): void {
    this.#online = online;
    this.#status.online = online;
    this.#status.lastError = error ? String((error as Error)?.message ?? error) : null;
  }

  #publish(): void {
    const waiting = this.#deps.journal.waiting();
    this.#status.waiting = waiting.taps;
    this.#status.provisional = waiting.provisional;
    this.#deps.onStatus({ ...this.#status });
  }
}
