import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../src/core/clock.js";
import { timeOrderedUuid } from "../src/core/ids.js";
import { SEED_ADMIN, SEED_TIME_TYPES, type SimulatorSeed } from "../src/simulator/index.js";
import { BadgeRepository } from "../src/store/badges.js";
import type { Db } from "../src/store/database.js";
import { randomInt } from "./random.js";
import { rdm6300Frame } from "./rdm6300-frame.js";

/** Users, badges, configs and bulk data shared by the benchmarks and the soak. */

export interface BenchUser {
  email: string;
  badgeId: string;
}

/** `count` users named `${prefix}NNNNN@gtsandbox.en`, each with a badge whose id encodes the prefix number and index. */
export function benchUsers(count: number, prefix = "bench", badgeHigh = 0x0b): BenchUser[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${String(i).padStart(5, "0")}@gtsandbox.en`,
    badgeId: `${badgeHigh.toString(16).toUpperCase().padStart(2, "0")}${i.toString(16).toUpperCase().padStart(8, "0")}`,
  }));
}

export function mapBadges(db: Db, clock: Clock, users: readonly BenchUser[]): void {
  new BadgeRepository(db, clock).putAll(
    users.map((user) => ({ badgeId: user.badgeId, email: user.email, knownBits: 40 as const })),
  );
}

/** A simulator account that knows these users and the one time type the configs book into. */
export function seedFor(users: readonly BenchUser[]): SimulatorSeed {
  return {
    admin: SEED_ADMIN,
    userEmails: [SEED_ADMIN.loginEmail, ...users.map((user) => user.email)],
    timeTypes: [SEED_TIME_TYPES.workingHours],
    projects: [],
  };
}

export interface DaemonConfigOptions {
  dataDir: string;
  serverUrl: string;
  reader: { type: "stdin" } | { type: "serial"; path: string };
  concurrency: number;
  minGapSeconds?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** terminal.name; "bench-door" when not given. */
  name?: string;
  /** The `site` section, for site mode. */
  site?: { database: string; terminalId: string; tapTimeoutMs?: number; leaseSeconds?: number };
  /** The `display` section; none when not given. */
  display?: Record<string, unknown>;
}

/** The raw config `timeclock run` reads, before validation and defaults. */
export function daemonConfig(options: DaemonConfigOptions): Record<string, unknown> {
  const reader =
    options.reader.type === "stdin"
      ? { type: "stdin", format: "hex10" }
      : {
          type: "serial",
          path: options.reader.path,
          baudRate: 9600,
          protocol: "rdm6300",
          // Off so that a run can cycle through its badges quickly; a held card is not simulated.
          repeatSuppressMs: 0,
        };
  return {
    terminal: {
      name: options.name ?? "bench-door",
      timeZone: "Europe/Berlin",
      dataDir: options.dataDir,
      clockTrust: "system",
    },
    server: { baseUrl: options.serverUrl, loginEmail: SEED_ADMIN.loginEmail, timeoutMs: 2000 },
    reader,
    entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
    pairing: { minGapSeconds: options.minGapSeconds ?? 0, maxShiftHours: 12 },
    sync: {
      concurrency: options.concurrency,
      retryBaseMs: options.retryBaseMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 1000,
    },
    ...(options.site ? { site: options.site } : {}),
    ...(options.display ? { display: options.display } : {}),
  };
}

/** Writes a config for `timeclock run` into `dir` and returns its path. */
export function writeDaemonConfig(dir: string, options: DaemonConfigOptions): string {
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify(daemonConfig(options)));
  return path;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

function tapInserter(db: Db) {
  const statement = db.prepare(
    `INSERT INTO taps (id, badge_id, known_bits, raw, source, wall_at, mono_ms, boot_id, clock_synced,
       outcome, reason, email, entry_id)
     VALUES (?, ?, 40, ?, 'serial:/dev/serial0', ?, ?, 'bench-history', 1, ?, ?, ?, ?)`,
  );
  return (
    id: number,
    badgeId: string,
    at: Date,
    outcome: string,
    email: string | null,
    reason: string | null,
    entryId: string | null,
  ) =>
    statement.run(
      id,
      badgeId,
      rdm6300Frame(badgeId).toString("latin1"),
      at.toISOString(),
      at.getTime(),
      outcome,
      reason,
      email,
      entryId,
    );
}

function entryInserter(db: Db) {
  const statement = db.prepare(
    `INSERT INTO entries (id, email, start_at, end_at, time_type_id, project_id, comment, start_tap_id,
       end_tap_id, state, server_id, booked_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, 'bench-door', ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (
    entry: {
      id: string;
      email: string;
      start: Date;
      end: Date;
      startTapId: number;
      endTapId: number;
    },
    booked: boolean,
  ) => {
    const end = entry.end.toISOString();
    statement.run(
      entry.id,
      entry.email,
      entry.start.toISOString(),
      end,
      SEED_TIME_TYPES.workingHours.id,
      entry.startTapId,
      entry.endTapId,
      booked ? "booked" : "pending",
      booked ? randomUUID() : null,
      booked ? end : null,
      end,
      end,
    );
  };
}

/**
 * A year of history ending at `until`, written in one transaction: `count` taps of the given
 * users plus a few unknown badges, alternating clock-in and clock-out per user with some ignored
 * double taps, every clock-out with its booked entry; every shift is closed at the end.
 */
export function insertHistory(
  db: Db,
  users: readonly BenchUser[],
  count: number,
  until: Date,
  random: () => number,
): void {
  const insertTap = tapInserter(db);
  const insertEntry = entryInserter(db);
  const activity = db.prepare(
    `INSERT OR REPLACE INTO user_activity (email, last_tap_id, last_at, last_mono_ms, last_boot_id)
     VALUES (?, ?, ?, ?, 'bench-history')`,
  );
  const open = new Map<string, { tapId: number; at: Date }>();
  const from = until.getTime() - 365 * DAY_MS;
  const step = (365 * DAY_MS) / count;
  let id = 0;
  const record = (user: BenchUser, at: Date) => {
    id++;
    const started = open.get(user.email);
    if (started && at.getTime() - started.at.getTime() < 2 * MINUTE_MS) {
      insertTap(id, user.badgeId, at, "ignored", user.email, "double tap", null);
      return;
    }
    if (!started) {
      insertTap(id, user.badgeId, at, "clock-in", user.email, null, null);
      open.set(user.email, { tapId: id, at });
    } else {
      const entryId = timeOrderedUuid(at);
      insertTap(id, user.badgeId, at, "clock-out", user.email, null, entryId);
      insertEntry(
        {
          id: entryId,
          email: user.email,
          start: started.at,
          end: at,
          startTapId: started.tapId,
          endTapId: id,
        },
        true,
      );
      open.delete(user.email);
    }
    activity.run(user.email, id, at.toISOString(), at.getTime());
  };
  db.transaction(() => {
    for (let i = 0; id < count; i++) {
      const at = new Date(from + i * step);
      if (random() < 0.02) {
        id++;
        const stranger = `0F${randomInt(random, 0xffffffff).toString(16).toUpperCase().padStart(8, "0")}`;
        insertTap(id, stranger, at, "refused", null, "unknown badge", null);
        continue;
      }
      record(users[randomInt(random, users.length)] as BenchUser, at);
    }
    for (const user of users) {
      if (open.has(user.email)) record(user, new Date(until.getTime() - MINUTE_MS));
    }
  }).immediate();
}

/**
 * `count` entries waiting to be booked, spread round-robin over the users: each user's shifts are
 * whole-minute, eight hours long, one a day, ending before `until`; each with its two taps.
 */
export function insertPendingEntries(
  db: Db,
  users: readonly BenchUser[],
  count: number,
  until: Date,
): void {
  const insertTap = tapInserter(db);
  const insertEntry = entryInserter(db);
  const perUser = Math.ceil(count / users.length);
  const firstDay = Math.floor(until.getTime() / DAY_MS) * DAY_MS - (perUser + 1) * DAY_MS;
  db.transaction(() => {
    let tapId = 0;
    for (let i = 0; i < count; i++) {
      const user = users[i % users.length] as BenchUser;
      const day = Math.floor(i / users.length);
      const start = new Date(firstDay + day * DAY_MS + 6 * 60 * MINUTE_MS);
      const end = new Date(start.getTime() + 8 * 60 * MINUTE_MS);
      const entryId = timeOrderedUuid(end);
      insertTap(++tapId, user.badgeId, start, "clock-in", user.email, null, null);
      insertTap(++tapId, user.badgeId, end, "clock-out", user.email, null, entryId);
      insertEntry(
        { id: entryId, email: user.email, start, end, startTapId: tapId - 1, endTapId: tapId },
        false,
      );
    }
  }).immediate();
}
