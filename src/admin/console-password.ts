import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { AdminEventLog } from "../store/admin-events.js";
import { ConsolePasswordStore } from "../store/console-password.js";
import { writeTransaction } from "../store/database.js";
import type { AdminDeps } from "./deps.js";
import { AdminError } from "./errors.js";

/**
 * The console's scrypt cost. OWASP's equivalent of N=2^17, r=8, p=1 at a Pi's memory: N=2^14,
 * r=8 needs 16 MiB per hash, and p=5 buys back the work; one check takes about 0.1 s on a desktop
 * and about 1 s on a Pi Zero, which is also what each guess costs an attacker.
 */
export const SCRYPT_COST = { N: 16_384, r: 8, p: 5, keylen: 32 } as const;

export const PASSWORD_LENGTH = { min: 10, max: 256 } as const;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keylen: number;
}

/** scrypt of a secret (NFC-normalised) with its salt and cost; the secret never leaves here. */
export function slowHash(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, params.keylen, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Why a new password cannot be used; null when it can. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_LENGTH.min) {
    return `the password has ${length} characters; use at least ${PASSWORD_LENGTH.min} (a few words make a good one)`;
  }
  if (length > PASSWORD_LENGTH.max) {
    return `the password has ${length} characters; use at most ${PASSWORD_LENGTH.max}`;
  }
  if (password.trim() !== password) {
    return "the password begins or ends with a space, which is easy to get wrong when typing it; leave it out";
  }
  return null;
}

/**
 * Sets the console's admin password: kept as scrypt with a random salt and its parameters, never
 * as text. Sessions opened with the old password end at their next request.
 */
export async function setConsolePassword(
  deps: AdminDeps,
  password: string,
): Promise<{ setAt: Date; replaced: boolean }> {
  const problem = passwordProblem(password);
  if (problem) throw new AdminError("ADM_INVALID", problem);
  const salt = randomBytes(16);
  const key = await slowHash(password, salt, SCRYPT_COST);
  const store = new ConsolePasswordStore(deps.db);
  const setAt = deps.clock.now();
  const replaced = writeTransaction(deps.db, () => {
    const before = store.get();
    store.put({
      hash: key.toString("base64"),
      salt: salt.toString("base64"),
      params: JSON.stringify({ algorithm: "scrypt", ...SCRYPT_COST }),
      setAt,
      setBy: deps.actor,
    });
    new AdminEventLog(deps.db, deps.actor).append(
      before ? "console.password.change" : "console.password.set",
      "console",
      null,
      setAt,
    );
    return before !== null;
  });
  return { setAt, replaced };
}

export type PasswordCheck =
  | { ok: true; version: string }
  | { ok: false; reason: "wrong" | "not-set" };

/**
 * Checks a password against the stored hash in constant time. `version` identifies the password
 * that was set, so that a session can end when it changes.
 */
export async function checkConsolePassword(
  deps: Pick<AdminDeps, "db">,
  password: string,
): Promise<PasswordCheck> {
  const stored = new ConsolePasswordStore(deps.db).get();
  if (!stored) return { ok: false, reason: "not-set" };
  const params = JSON.parse(stored.params) as ScryptParams;
  const expected = Buffer.from(stored.hash, "base64");
  const given = await slowHash(
    password.slice(0, PASSWORD_LENGTH.max * 4),
    Buffer.from(stored.salt, "base64"),
    params,
  );
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { ok: true, version: stored.salt }
    : { ok: false, reason: "wrong" };
}

/** Which password is set now (its random salt, new with every setting), or null when none is. */
export function consolePasswordVersion(deps: Pick<AdminDeps, "db">): string | null {
  return new ConsolePasswordStore(deps.db).get()?.salt ?? null;
}
