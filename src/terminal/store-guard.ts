import type { Logger } from "../core/logger.js";
import type { Feedback } from "../feedback/feedback.js";
import { DatabaseIdentity } from "../store/db-identity.js";
import { StoreError } from "../store/faults.js";

/** Without systemd's watchdog tick, how often the daemon looks at its database file itself. */
export const STORE_CHECK_MS = 5_000;

export interface StoreGuard {
  /** Looks at the database file now; false (and `lost` settles) once it was deleted or replaced. */
  check(): boolean;
  /** For the tap path: throws once the database is lost, so that nothing is journalled into it. */
  assertIntact(): void;
  /** Settles with the reason the daemon must stop (exit code databaseMissing). */
  readonly lost: Promise<StoreError>;
  stop(): void;
}

export interface StoreGuardDeps {
  path: string;
  logger: Logger;
  feedback: Pick<Feedback, "signal">;
  /** Set when no watchdog tick calls check(); the guard then runs its own timer. */
  ownTimerMs?: number | undefined;
}

/**
 * Watches the database file the daemon has open. Once it is deleted or replaced, taps are refused
 * (red), the log says why and what to do, and `lost` tells the daemon to exit.
 */
export function guardStore(deps: StoreGuardDeps): StoreGuard {
  const identity = new DatabaseIdentity(deps.path);
  let reason: StoreError | undefined;
  let settle: (error: StoreError) => void = () => {};
  const lost = new Promise<StoreError>((resolve) => {
    settle = resolve;
  });
  const check = () => {
    if (reason) return false;
    const problem = identity.problem();
    if (problem === undefined) return true;
    reason = new StoreError(
      `${problem}; the daemon takes no more taps and stops so that none is journalled into a lost file. Find out who removed or replaced it, restore the newest backup (timeclock restore FILE), then start the service`,
      "missing",
    );
    deps.logger.error({ part: "store", exitCode: reason.exitCode }, reason.message);
    deps.feedback.signal("storage-fault");
    settle(reason);
    return false;
  };
  const timer = deps.ownTimerMs === undefined ? undefined : setInterval(check, deps.ownTimerMs);
  timer?.unref();
  return {
    check,
    assertIntact() {
      if (!check()) throw reason;
    },
    lost,
    stop: () => clearInterval(timer),
  };
}
