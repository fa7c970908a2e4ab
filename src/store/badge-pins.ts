import { type Db, fromDbTime, statement, toDbTime } from "./database.js";

/**
 * PINs for a forgotten badge: a slow hash per badge, never the PIN, with the wrong guesses in a
 * row and the lockout they led to. A PIN counts only while its badge is still mapped to the
 * person it was set for: a badge given to someone else does not keep its former owner's PIN.
 */

/** A PIN as stored: a slow hash of it, with its salt and cost. */
export interface StoredPin {
  badgeId: string;
  knownBits: 24 | 32 | 40;
  email: string;
  /** The badge's name; null when it has none. */
  name: string | null;
  hash: string;
  salt: string;
  /** JSON of the hash's cost parameters. */
  params: string;
  setAt: Date;
  setBy: string;
  failures: number;
  lockedUntil: Date | null;
}

/** What the name picker and the badge lists need: who has a PIN and whether it is locked. */
export type PinHolder = Omit<StoredPin, "hash" | "salt" | "params">;

interface PinRow {
  badge_id: string;
  known_bits: 24 | 32 | 40;
  email: string;
  name: string | null;
  hash: string;
  salt: string;
  params: string;
  set_at: string;
  set_by: string;
  failures: number;
  locked_until: string | null;
}

/** PINs whose badge is still mapped to the person they were set for. */
const LIVE_PINS = `SELECT p.badge_id, b.known_bits, p.email, b.name, p.hash, p.salt, p.params,
       p.set_at, p.set_by, p.failures, p.locked_until
  FROM badge_pins p JOIN badges b ON b.badge_id = p.badge_id AND b.email = p.email`;

function toPin(row: PinRow): StoredPin {
  return {
    badgeId: row.badge_id,
    knownBits: row.known_bits,
    email: row.email,
    name: row.name,
    hash: row.hash,
    salt: row.salt,
    params: row.params,
    setAt: fromDbTime(row.set_at),
    setBy: row.set_by,
    failures: row.failures,
    lockedUntil: row.locked_until === null ? null : fromDbTime(row.locked_until),
  };
}

function toHolder(row: PinRow): PinHolder {
  const { hash: _hash, salt: _salt, params: _params, ...holder } = toPin(row);
  return holder;
}

export class BadgePinStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The PIN of a badge, if one is set for its present owner. */
  get(badgeId: string): StoredPin | null {
    const row = statement(this.#db, `${LIVE_PINS} WHERE p.badge_id = ?`).get(badgeId) as
      | PinRow
      | undefined;
    return row ? toPin(row) : null;
  }

  /** Every badge with a PIN for its present owner, without the hashes. */
  holders(): PinHolder[] {
    const rows = statement(this.#db, `${LIVE_PINS} ORDER BY p.email, p.badge_id`).all() as PinRow[];
    return rows.map(toHolder);
  }

  /** Sets or replaces a badge's PIN; a new PIN starts with no wrong guesses and no lockout. */
  put(pin: {
    badgeId: string;
    email: string;
    hash: string;
    salt: string;
    params: string;
    setAt: Date;
    setBy: string;
  }): void {
    statement(
      this.#db,
      `INSERT INTO badge_pins (badge_id, email, hash, salt, params, set_at, set_by, failures, locked_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL)
         ON CONFLICT (badge_id) DO UPDATE SET email = excluded.email, hash = excluded.hash,
           salt = excluded.salt, params = excluded.params, set_at = excluded.set_at,
           set_by = excluded.set_by, failures = 0, locked_until = NULL`,
    ).run(pin.badgeId, pin.email, pin.hash, pin.salt, pin.params, toDbTime(pin.setAt), pin.setBy);
  }

  /** Removes a badge's PIN (of whichever owner); true when there was one. */
  remove(badgeId: string): boolean {
    return (
      statement(this.#db, "DELETE FROM badge_pins WHERE badge_id = ?").run(badgeId).changes > 0
    );
  }

  /** Writes the wrong guesses in a row and the lockout, after a guess. */
  setFailures(badgeId: string, failures: number, lockedUntil: Date | null): void {
    statement(
      this.#db,
      "UPDATE badge_pins SET failures = ?, locked_until = ? WHERE badge_id = ?",
    ).run(failures, lockedUntil === null ? null : toDbTime(lockedUntil), badgeId);
  }
}
