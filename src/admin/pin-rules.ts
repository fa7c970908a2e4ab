/**
 * The rules of the forgotten-badge PIN, free of I/O: which PINs may be set, when a badge locks
 * after wrong guesses, and how many guesses the screen takes a minute.
 */

export const PIN_LENGTH = { min: 4, max: 8 } as const;

/** A PIN that counts up or down one step at a time, wrapping at 9 (1234, 6543, 7890). */
function isRun(digits: number[]): boolean {
  const step = (a: number, b: number) => (b - a + 10) % 10;
  const first = step(digits[0] ?? 0, digits[1] ?? 0);
  return (
    (first === 1 || first === 9) &&
    digits.every((digit, i) => i === 0 || step(digits[i - 1] ?? 0, digit) === first)
  );
}

/** A PIN made of a shorter block repeated (1111, 1212, 123123, 12341234). */
function isRepeat(pin: string): boolean {
  for (let size = 1; size <= pin.length / 2; size++) {
    if (pin.length % size === 0 && pin.slice(0, size).repeat(pin.length / size) === pin) {
      return true;
    }
  }
  return false;
}

/**
 * Why a new PIN cannot be used; null when it can. Never quotes the PIN: the message may reach a
 * log or a web page.
 */
export function pinProblem(pin: string): string | null {
  if (!/^[0-9]*$/.test(pin)) {
    return `a PIN is digits only (0 to 9), ${PIN_LENGTH.min} to ${PIN_LENGTH.max} of them, as the screen's keypad types it`;
  }
  if (pin.length < PIN_LENGTH.min || pin.length > PIN_LENGTH.max) {
    return `the PIN has ${pin.length} digits; use ${PIN_LENGTH.min} to ${PIN_LENGTH.max}`;
  }
  if (isRepeat(pin)) {
    return "the PIN repeats one digit or one group of digits (such as 0000 or 1212), which is among the first anyone tries; choose another";
  }
  if (isRun([...pin].map(Number))) {
    return "the PIN counts up or down (such as 1234 or 9876), which is among the first anyone tries; choose another";
  }
  return null;
}

/** How wrong guesses lock a badge (display.kiosk.pin). */
export interface LockoutPolicy {
  /** Wrong PINs in a row that lock the badge. */
  wrongBeforeLock: number;
  lockMinutes: number;
}

export interface GuessState {
  failures: number;
  lockedUntil: Date | null;
}

/** Whether the badge takes no PIN now; a lockout ends by itself when its time has come. */
export function isLocked(state: GuessState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/**
 * The state after a wrong PIN (given while the badge was not locked): one more failure, and at the
 * limit a lockout from now, with the count starting again for after it.
 */
export function afterWrongPin(state: GuessState, now: Date, policy: LockoutPolicy): GuessState {
  const failures = state.failures + 1;
  if (failures >= policy.wrongBeforeLock) {
    return { failures: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  }
  return { failures, lockedUntil: null };
}

/**
 * A limit on guesses over every badge: at most `perMinute` in any 60 seconds (of the monotonic
 * clock), so that nobody can walk the names trying a few PINs on each.
 */
export class AttemptWindow {
  readonly #perMinute: number;
  #times: number[] = [];

  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }

  /** Counts an attempt at `nowMs` and says whether it is within the limit. */
  take(nowMs: number): boolean {
    this.#times = this.#times.filter((at) => nowMs - at < 60_000);
    if (this.#times.length >= this.#perMinute) return false;
    this.#times.push(nowMs);
    return true;
  }
}
