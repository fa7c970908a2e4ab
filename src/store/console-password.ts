import { type Db, fromDbTime, statement, toDbTime } from "./database.js";

/** The console password as stored: a slow hash, never the password. */
export interface StoredPassword {
  hash: string;
  salt: string;
  /** JSON of the hash's cost parameters. */
  params: string;
  setAt: Date;
  setBy: string;
}

export class ConsolePasswordStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  get(): StoredPassword | null {
    const row = statement(
      this.#db,
      "SELECT hash, salt, params, set_at, set_by FROM console_password WHERE id = 1",
    ).get() as
      | { hash: string; salt: string; params: string; set_at: string; set_by: string }
      | undefined;
    return row
      ? {
          hash: row.hash,
          salt: row.salt,
          params: row.params,
          setAt: fromDbTime(row.set_at),
          setBy: row.set_by,
        }
      : null;
  }

  put(password: StoredPassword): void {
    statement(
      this.#db,
      `INSERT INTO console_password (id, hash, salt, params, set_at, set_by) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, salt = excluded.salt,
           params = excluded.params, set_at = excluded.set_at, set_by = excluded.set_by`,
    ).run(password.hash, password.salt, password.params, toDbTime(password.setAt), password.setBy);
  }
}
