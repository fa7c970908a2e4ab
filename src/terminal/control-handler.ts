import type { EnrolmentView } from "../control/protocol.js";
import type { ControlHandler } from "../control/server.js";
import type { Logger } from "../core/logger.js";
import type { DoorHooks } from "./door-hooks.js";
import type { Enrolment } from "./enrolment.js";
import type { PinDesk } from "./pin-desk.js";
import type { TerminalDocument } from "./status-documents.js";

export interface ControlTargets {
  identity: TerminalDocument;
  logger: Logger;
  /** Looks for due entries now. */
  wakeSync: () => void;
  /** The amber LED follows what is left to book. */
  refreshBacklog: () => void;
  /** Captures the next badge read for an admin instead of journalling it. */
  enrolment: Enrolment;
  /** Touch buttons of the screen at the door. */
  door: Pick<DoorHooks, "press">;
  /**
   * Taps by PIN for a forgotten badge (display.kiosk.pin), loaded at the first PIN request so
   * that the daemon starts without the admin layer's code.
   */
  pins: () => Promise<Pick<PinDesk, "enabled" | "people" | "tap">>;
  /** Told of each arming and cancellation, for the screen at the door. */
  onEnrolment: (view: EnrolmentView) => void;
}

/**
 * What the daemon does when an admin front end tells it of a change, once the change is
 * committed: the effect is there before the reply goes back, so a reply means "done".
 */
export function controlHandler(targets: ControlTargets): ControlHandler {
  const log = targets.logger.child({ part: "control" });
  return async (request) => {
    switch (request.type) {
      case "ping":
        return { ok: true, type: "pong", ...targets.identity };
      case "entries-changed":
        log.info(
          { action: request.action, entries: request.count },
          "admin changed entries; looking for entries to book now",
        );
        targets.refreshBacklog();
        targets.wakeSync();
        return { ok: true, type: "done", detail: "the terminal looks for entries to book now" };
      case "badges-changed":
        log.info(
          { action: request.action, badges: request.count },
          "admin changed badge mappings; the next tap reads them",
        );
        return { ok: true, type: "done", detail: "the next tap reads the new mapping" };
      case "enrol-arm": {
        const enrolment = targets.enrolment.arm(request.by);
        log.info(
          { by: request.by, armId: enrolment.armId, until: enrolment.expiresAt },
          "enrolment armed: the next badge read is captured, not journalled",
        );
        targets.onEnrolment(enrolment);
        return { ok: true, type: "enrolment", enrolment };
      }
      case "enrol-state":
        return { ok: true, type: "enrolment", enrolment: targets.enrolment.view(request.armId) };
      case "enrol-cancel": {
        const enrolment = targets.enrolment.cancel(request.armId);
        if (enrolment) {
          log.info({ armId: request.armId }, "enrolment cancelled");
          targets.onEnrolment(enrolment);
        }
        return { ok: true, type: "enrolment", enrolment };
      }
      case "door-key":
        targets.door.press(request.key, "screen");
        return { ok: true, type: "done", detail: `the next tap means "${request.key}"` };
      case "pin-people": {
        const pins = await targets.pins();
        return { ok: true, type: "pin-people", enabled: pins.enabled, people: pins.people() };
      }
      case "pin-tap": {
        const pins = await targets.pins();
        return {
          ok: true,
          type: "pin-tap",
          result: await pins.tap(request.badgeId, request.pin),
        };
      }
    }
  };
}
