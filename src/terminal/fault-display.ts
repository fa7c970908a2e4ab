import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../core/logger.js";
import type { Feedback } from "../feedback/feedback.js";
import { PATTERNS, totalMs } from "../feedback/patterns.js";
import type { StoreError } from "../store/faults.js";
import type { SystemdNotifier } from "../system/sd-notify.js";

/** How long the LEDs show a storage fault before the daemon exits, where LEDs are wired. */
export const SHOW_FAULT_MS = 6_000;
/**
 * Under systemd, on a full disk, the daemon shows the fault this long before it exits. systemd
 * then restarts it (space may have been freed), so it tries about once a minute instead of every
 * RestartSec; the unit's TimeoutStartSec (120 s) leaves room for it.
 */
export const DISK_FULL_RETRY_MS = 60_000;

export interface FaultDisplayDeps {
  feedback: Feedback;
  logger: Logger;
  notifier: SystemdNotifier;
}

/**
 * Says why the daemon cannot go on, in the log, to systemd (`systemctl status`) and on the LEDs,
 * and holds that long enough to be seen before the daemon exits with the fault's code.
 */
export async function showStorageFault(fault: StoreError, deps: FaultDisplayDeps): Promise<void> {
  const { feedback, logger, notifier } = deps;
  logger.fatal({ part: "store", fault: fault.fault, exitCode: fault.exitCode }, fault.message);
  await notifier.status(`storage fault, exit code ${fault.exitCode}: ${fault.message}`);
  const holdMs =
    fault.fault === "disk-full" && notifier.enabled
      ? DISK_FULL_RETRY_MS
      : feedback.status().backend === "none"
        ? 0
        : SHOW_FAULT_MS;
  const cycleMs = totalMs(PATTERNS["storage-fault"]) + 400;
  for (let shown = 0; shown < holdMs; shown += cycleMs) {
    feedback.signal("storage-fault");
    await sleep(Math.min(cycleMs, holdMs - shown));
  }
}
