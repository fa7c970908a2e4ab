/**
 * Schema migrations, written as data: each step moves the database from `version - 1` to `version`
 * and runs in its own transaction together with the `user_version` bump, so a power cut leaves the
 * file at one version or the next, never between.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "badges, append-only tap journal, open shifts, outbox, review list",
    sql: `
      CREATE TABLE badges (
        badge_id     TEXT PRIMARY KEY,
        known_bits   INTEGER NOT NULL DEFAULT 40 CHECK (known_bits IN (24, 32, 40)),
        email        TEXT NOT NULL,
        name         TEXT,
        time_type_id TEXT,
        project_id   TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      );

      CREATE TABLE taps (
        id           INTEGER PRIMARY KEY,
        badge_id     TEXT NOT NULL,
        known_bits   INTEGER NOT NULL,
        raw          TEXT,
        source       TEXT NOT NULL,
        wall_at      TEXT NOT NULL,
        mono_ms      INTEGER NOT NULL,
        boot_id      TEXT NOT NULL,
        clock_synced INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),
        outcome      TEXT NOT NULL CHECK (outcome IN ('clock-in', 'clock-out', 'ignored', 'refused')),
        reason       TEXT,
        email        TEXT,
        entry_id     TEXT
      );
      CREATE INDEX taps_by_wall_at ON taps (wall_at);
      CREATE INDEX taps_refused_badges ON taps (badge_id) WHERE outcome = 'refused';
      CREATE TRIGGER taps_no_update BEFORE UPDATE ON taps
        BEGIN SELECT RAISE(ABORT, 'the tap journal is append-only'); END;
      CREATE TRIGGER taps_no_delete BEFORE DELETE ON taps
        BEGIN SELECT RAISE(ABORT, 'the tap journal is append-only'); END;

      CREATE TABLE user_activity (
        email           TEXT PRIMARY KEY,
        last_tap_id     INTEGER NOT NULL REFERENCES taps (id),
        last_at         TEXT NOT NULL,
        last_mono_ms    INTEGER NOT NULL,
        last_boot_id    TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE open_shifts (
        email         TEXT PRIMARY KEY,
        badge_id      TEXT NOT NULL,
        badge_name    TEXT,
        start_tap_id  INTEGER NOT NULL REFERENCES taps (id),
        start_at      TEXT NOT NULL,
        start_mono_ms INTEGER NOT NULL,
        start_boot_id TEXT NOT NULL,
        start_synced  INTEGER NOT NULL,
        time_type_id  TEXT NOT NULL,
        project_id    TEXT
      ) WITHOUT ROWID;

      CREATE TABLE entries (
        id              TEXT PRIMARY KEY,
        email           TEXT NOT NULL,
        start_at        TEXT NOT NULL,
        end_at          TEXT NOT NULL,
        time_type_id    TEXT NOT NULL,
        project_id      TEXT,
        comment         TEXT,
        start_tap_id    INTEGER NOT NULL REFERENCES taps (id),
        end_tap_id      INTEGER REFERENCES taps (id),
        state           TEXT NOT NULL
                        CHECK (state IN ('held', 'pending', 'sending', 'booked', 'refused', 'discarded')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error      TEXT,
        last_error_code TEXT,
        ambiguous       INTEGER NOT NULL DEFAULT 0,
        server_id       TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        booked_at       TEXT
      );
      CREATE INDEX entries_by_state ON entries (state, email, start_at);

      CREATE TABLE reviews (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        email         TEXT NOT NULL,
        badge_id      TEXT NOT NULL,
        start_tap_id  INTEGER NOT NULL REFERENCES taps (id),
        start_at      TEXT NOT NULL,
        time_type_id  TEXT NOT NULL,
        project_id    TEXT,
        badge_name    TEXT,
        reason        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        resolution    TEXT CHECK (resolution IN ('booked', 'discarded')),
        resolved_at   TEXT,
        note          TEXT,
        entry_id      TEXT
      );

      CREATE TABLE admin_events (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        action   TEXT NOT NULL,
        subject  TEXT NOT NULL,
        detail   TEXT
      );
      CREATE TRIGGER admin_events_no_update BEFORE UPDATE ON admin_events
        BEGIN SELECT RAISE(ABORT, 'admin events are append-only'); END;

      CREATE TABLE runtime_status (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description:
      "small partial indexes that find each user's next entry and refused entries without scanning the history",
    sql: `
      CREATE INDEX entries_due_by_start ON entries (start_at) WHERE state IN ('pending', 'sending');
      CREATE INDEX entries_unbooked_by_user ON entries (email, start_at)
        WHERE state IN ('held', 'pending', 'sending');
      CREATE INDEX entries_refused ON entries (start_at) WHERE state = 'refused';
      DROP INDEX entries_by_state;
    `,
  },
  {
    version: 3,
    description:
      "tap reasons as codes, admin overrides of an entry's user, time type and project, and the admin's marks",
    sql: `
      ALTER TABLE taps ADD COLUMN reason_code TEXT;
      -- Taps journalled before this version carry only the English reason; it is read once here,
      -- with the journal's update guard lifted for these statements alone.
      DROP TRIGGER taps_no_update;
      UPDATE taps SET reason_code = 'unknown-badge'
        WHERE outcome = 'refused' AND reason LIKE 'unknown badge%';
      UPDATE taps SET reason_code = 'ambiguous-badge'
        WHERE outcome = 'refused' AND reason LIKE 'ambiguous badge%';
      UPDATE taps SET reason_code = 'too-soon' WHERE outcome = 'ignored' AND reason LIKE 'too soon%';
      UPDATE taps SET reason_code = 'no-open-shift'
        WHERE outcome = 'ignored' AND reason LIKE 'the out key%';
      CREATE TRIGGER taps_no_update BEFORE UPDATE ON taps
        BEGIN SELECT RAISE(ABORT, 'the tap journal is append-only'); END;
      CREATE INDEX taps_unknown_badges ON taps (badge_id, known_bits, wall_at)
        WHERE reason_code = 'unknown-badge';
      DROP INDEX taps_refused_badges;

      -- fields: JSON of what the admin set, e.g. {"email": "...", "projectId": null}; a key that is
      -- absent was not overridden.
      CREATE TABLE entry_overrides (
        entry_id TEXT PRIMARY KEY REFERENCES entries (id),
        fields   TEXT NOT NULL,
        set_at   TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE admin_marks (
        name TEXT PRIMARY KEY,
        at   TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description:
      "what was last sent for each entry (sent_as), so that a lookup matches what may be on the server",
    sql: `
      ALTER TABLE entries ADD COLUMN sent_as TEXT;
    `,
  },
  {
    version: 5,
    description:
      "the rounding policy each entry is booked under, kept beside its raw instants (NULL: whole minutes)",
    sql: `
      ALTER TABLE entries ADD COLUMN rounding TEXT;
    `,
  },
  {
    version: 6,
    description: "the web console's password as a slow hash, and who made each admin change",
    sql: `
      -- One admin password for the console: scrypt of it with a random salt; params is JSON of
      -- the scrypt cost (N, r, p, keylen), so the cost can rise later without locking anyone out.
      CREATE TABLE console_password (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        hash   TEXT NOT NULL,
        salt   TEXT NOT NULL,
        params TEXT NOT NULL,
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL
      );

      -- Who made the change: "cli:<user>" or "console:<address>"; NULL on events recorded before.
      ALTER TABLE admin_events ADD COLUMN actor TEXT;
    `,
  },
  {
    version: 7,
    description: "each person's entries by start, for the hours the door's screen shows",
    sql: `
      -- The screen at the door shows a person's hours of today and this week after each tap.
      CREATE INDEX entries_by_user_start ON entries (email, start_at);
    `,
  },
  {
    version: 8,
    description:
      "site mode: which taps are in the site database, what this door last knew of each user, and the door's marks",
    sql: `
      -- One row per tap journalled in site mode. provisional: paired by this door alone because
      -- the site database did not answer; decision: JSON of what it decided then (owner, intent,
      -- entry and review drafts, the user's state after), for the merge. copied_at: when the site
      -- database had it.
      CREATE TABLE site_taps (
        tap_id      INTEGER PRIMARY KEY REFERENCES taps (id),
        provisional INTEGER NOT NULL CHECK (provisional IN (0, 1)),
        decision    TEXT,
        copied_at   TEXT
      );
      CREATE INDEX site_taps_to_copy ON site_taps (tap_id) WHERE copied_at IS NULL;

      -- Each user's state in the site as this door last knew it (JSON), for taps while it is cut off.
      CREATE TABLE site_users (
        email      TEXT PRIMARY KEY,
        state      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;

      -- Numbers the door keeps: the badge mapping's version it holds, the first tap id it may use.
      CREATE TABLE site_marks (
        name  TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    description:
      "PINs for a forgotten badge, as slow hashes, with each badge's wrong guesses and lockout",
    sql: `
      -- A forgotten badge: the PIN an admin set for a badge, as scrypt with a random salt (params is
      -- JSON of the cost). email: whom the badge was mapped to when the PIN was set; once the badge
      -- belongs to someone else the PIN no longer counts. failures: wrong PINs in a row since the
      -- last right one; locked_until: no PIN is taken for the badge before then. Kept here, not in
      -- memory, so that a restart does not lift a lockout.
      CREATE TABLE badge_pins (
        badge_id     TEXT PRIMARY KEY,
        email        TEXT NOT NULL,
        hash         TEXT NOT NULL,
        salt         TEXT NOT NULL,
        params       TEXT NOT NULL,
        set_at       TEXT NOT NULL,
        set_by       TEXT NOT NULL,
        failures     INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    description:
      "site mode: the shift a tap at this door closed (start, end, rounding), for the screen while the site does not answer",
    sql: `
      -- In site mode the entries live in the site database; the door keeps the span of each shift
      -- its own clock-outs closed (as the site or, cut off, the door decided), so that the screen
      -- at the door can still count this door's shifts while the site does not answer. Taps
      -- journalled before this have none.
      ALTER TABLE site_taps ADD COLUMN entry_start TEXT;
      ALTER TABLE site_taps ADD COLUMN entry_end TEXT;
      ALTER TABLE site_taps ADD COLUMN entry_rounding TEXT;
      ALTER TABLE site_taps ADD COLUMN entry_held INTEGER;
    `,
  },
  {
    version: 11,
    description:
      "entries by start, then user: a clock-out adds to the newest end of the index instead of a page in each user's part of it",
    sql: `
      -- A clock-out's entry starts within the last shift, so its key lands beside the newest ones:
      -- the pages a checkpoint copies into the file stay a few, where an index by user first
      -- had each user's insertion point on its own page (one more 4 KiB block of the file
      -- rewritten per entry on a large journal). A person's week is one range of this index,
      -- filtered by the email in it before any row is read.
      CREATE INDEX entries_by_start ON entries (start_at, email);
      DROP INDEX entries_by_user_start;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
