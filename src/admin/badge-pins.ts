import { randomBytes, timingSafeEqual } from "node:crypto";
import { formatBadge } from "../badges/badge-id.js";
import { AdminEventLog } from "../store/admin-events.js";
import { BadgePinStore, type PinHolder } from "../store/badge-pins.js";
import { type Badge, BadgeRepository } from "../store/badges.js";
import { writeTransaction } from "../store/database.js";
import type { DigitForm } from "./badge-input.js";
import { normaliseEmail } from "./badge-rules.js";
import { mappingOf } from "./badges.js";
import { SCRYPT_COST, type ScryptParams, slowHash } from "./console-password.js";
import type { AdminDeps } from "./deps.js";
import { AdminError } from "./errors.js";
import {
  afterWrongPin,
  type GuessState,
  isLocked,
  type LockoutPolicy,
  PIN_LENGTH,
  pinProblem,
} from "./pin-rules.js";

export type { PinHolder } from "../store/badge-pins.js";

/**
 * The forgotten-badge PIN as admins set it and the door checks it. A PIN is kept as scrypt with
 * a random salt, at the console password's cost, and compared in constant time; it never reaches
 * the admin record, a log line or an error message.
 */

export interface PinTarget {
  /** A badge in any form `badges add` takes, or the login email of someone with one badge. */
  badge: string;
  digits?: DigitForm;
}

/** The mapping a PIN command is about: a typed badge, or the one badge of an email. */
export function pinTarget(deps: AdminDeps, target: PinTarget): Badge {
  if (!target.badge.includes("@")) return mappingOf(deps, target.badge, target.digits);
  const email = normaliseEmail(target.badge);
  if (!email.ok) throw new AdminError("ADM_INVALID", email.reason);
  const mine = new BadgeRepository(deps.db, deps.clock)
    .list()
    .filter((badge) => badge.email === email.email);
  const [only] = mine;
  if (!only) {
    throw new AdminError(
      "ADM_NOT_FOUND",
      `no badge is mapped to ${email.email}; map one first (timeclock badges add) or see timeclock badges list`,
    );
  }
  if (mine.length > 1) {
    throw new AdminError(
      "ADM_SEVERAL_MATCH",
      `${email.email} has ${mine.length} badges (${mine.map((badge) => formatBadge(badge)).join(", ")}); name the badge whose PIN you mean`,
    );
  }
  return only;
}

export interface SetPinResult {
  badge: Badge;
  /** True when it replaced a PIN of the same owner. */
  replaced: boolean;
  /** True when the badge was locked by wrong PINs; a new PIN lifts the lockout. */
  wasLocked: boolean;
}

/** Sets the PIN of a badge (replacing one, lifting a lockout); the PIN is checked first. */
export async function setBadgePin(
  deps: AdminDeps,
  input: PinTarget & { pin: string },
): Promise<SetPinResult> {
  const problem = pinProblem(input.pin);
  if (problem) throw new AdminError("ADM_INVALID", problem);
  const badge = pinTarget(deps, input);
  const salt = randomBytes(16);
  const key = await slowHash(input.pin, salt, SCRYPT_COST);
  const store = new BadgePinStore(deps.db);
  const setAt = deps.clock.now();
  return writeTransaction(deps.db, () => {
    const now = new BadgeRepository(deps.db, deps.clock)
      .list()
      .find((known) => known.badgeId === badge.badgeId);
    if (!now || now.email !== badge.email) {
      throw new AdminError(
        "ADM_CHANGED",
        `badge ${formatBadge(badge)} was changed meanwhile; nothing was set: try again`,
      );
    }
    const before = store.get(badge.badgeId);
    store.put({
      badgeId: badge.badgeId,
      email: badge.email,
      hash: key.toString("base64"),
      salt: salt.toString("base64"),
      params: JSON.stringify({ algorithm: "scrypt", ...SCRYPT_COST }),
      setAt,
      setBy: deps.actor,
    });
    const wasLocked = before !== null && isLocked(before, setAt);
    new AdminEventLog(deps.db, deps.actor).append(
      before ? "badge.pin.change" : "badge.pin.set",
      badge.badgeId,
      { email: badge.email, ...(wasLocked ? { unlocked: true } : {}) },
      setAt,
    );
    return { badge, replaced: before !== null, wasLocked };
  });
}

function changePin(
  deps: AdminDeps,
  target: PinTarget,
  action: "clear" | "unlock",
): { badge: Badge; wasLocked: boolean } {
  const badge = pinTarget(deps, target);
  const store = new BadgePinStore(deps.db);
  const now = deps.clock.now();
  return writeTransaction(deps.db, () => {
    const before = store.get(badge.badgeId);
    if (!before) {
      throw new AdminError(
        "ADM_NOT_FOUND",
        `badge ${formatBadge(badge)} (${badge.email}) has no PIN; set one with timeclock badges pin`,
      );
    }
    const wasLocked = isLocked(before, now);
    if (action === "clear") store.remove(badge.badgeId);
    else store.setFailures(badge.badgeId, 0, null);
    new AdminEventLog(deps.db, deps.actor).append(
      `badge.pin.${action}`,
      badge.badgeId,
      { email: badge.email, ...(wasLocked ? { unlocked: true } : {}) },
      now,
    );
    return { badge, wasLocked };
  });
}

/** Removes a badge's PIN: nobody can tap for it by PIN any more. */
export function clearBadgePin(
  deps: AdminDeps,
  target: PinTarget,
): { badge: Badge; wasLocked: boolean } {
  return changePin(deps, target, "clear");
}

/** Lifts a lockout after wrong PINs and forgets the wrong guesses; the PIN stays. */
export function unlockBadgePin(
  deps: AdminDeps,
  target: PinTarget,
): { badge: Badge; wasLocked: boolean } {
  return changePin(deps, target, "unlock");
}

/** Every badge with a PIN for its owner, and whether it is locked now. */
export function pinHolders(deps: Pick<AdminDeps, "db">): PinHolder[] {
  return new BadgePinStore(deps.db).holders();
}

/** What a PIN typed at the door came to. */
export type PinAttempt =
  | { outcome: "right"; badge: Pick<Badge, "badgeId" | "knownBits" | "email" | "name"> }
  /** `left`: wrong PINs still allowed before the badge locks. */
  | { outcome: "wrong"; left: number }
  | { outcome: "locked"; until: Date }
  /** No PIN is set for the badge's owner (cleared, or the badge changed hands meanwhile). */
  | { outcome: "no-pin" };

/**
 * Checks a PIN typed for a badge. A locked badge is not checked at all; a wrong PIN counts
 * towards the lockout, and a right one forgets the wrong ones. The count is re-read and written in
 * one transaction after the slow hash, so two guesses at once both count.
 */
export async function tryPin(
  deps: Pick<AdminDeps, "db" | "clock">,
  badgeId: string,
  pin: string,
  policy: LockoutPolicy,
): Promise<PinAttempt> {
  const store = new BadgePinStore(deps.db);
  const stored = store.get(badgeId);
  if (!stored) return { outcome: "no-pin" };
  if (isLocked(stored, deps.clock.now()) && stored.lockedUntil) {
    return { outcome: "locked", until: stored.lockedUntil };
  }
  const expected = Buffer.from(stored.hash, "base64");
  const given = await slowHash(
    pin.slice(0, PIN_LENGTH.max * 2),
    Buffer.from(stored.salt, "base64"),
    JSON.parse(stored.params) as ScryptParams,
  );
  const right = given.length === expected.length && timingSafeEqual(given, expected);
  return writeTransaction(deps.db, (): PinAttempt => {
    const now = deps.clock.now();
    const current = store.get(badgeId);
    if (!current) return { outcome: "no-pin" };
    if (isLocked(current, now) && current.lockedUntil) {
      return { outcome: "locked", until: current.lockedUntil };
    }
    const same = current.salt === stored.salt;
    if (right && same) {
      if (current.failures > 0 || current.lockedUntil) store.setFailures(badgeId, 0, null);
      const { badgeId: id, knownBits, email, name } = current;
      return { outcome: "right", badge: { badgeId: id, knownBits, email, name } };
    }
    const state: GuessState = { failures: current.failures, lockedUntil: null };
    const next = afterWrongPin(state, now, policy);
    store.setFailures(badgeId, next.failures, next.lockedUntil);
    return next.lockedUntil
      ? { outcome: "locked", until: next.lockedUntil }
      : { outcome: "wrong", left: policy.wrongBeforeLock - next.failures };
  });
}
