import { randomUUID } from "node:crypto";
import type { EnrolmentView } from "../control/protocol.js";
import type { Clock } from "../core/clock.js";
import type { BadgeRead } from "../readers/reader.js";

/** An arming waits this long for a badge, then ends by itself. */
export const ENROL_WINDOW_MS = 60_000;

/** A captured badge stays available for saving this long, so an admin can pick the person. */
const KEEP_CAPTURED_MS = 30 * 60_000;

/** Armings remembered for their state; the oldest are forgotten first. */
const REMEMBERED = 20;

interface Arming {
  view: EnrolmentView;
  /** Monotonic deadline of a waiting arming. */
  untilMono: number;
  /** Monotonic moment after which a captured badge is forgotten. */
  forgetMono: number;
}

/**
 * The terminal's side of enrolment. An admin front end arms it; the next badge read at the reader
 * within a minute is captured here instead of being journalled as a tap, and the front end reads
 * it back by the arming's id to map it. Expiry is judged on the monotonic clock whenever the
 * state is looked at, so no timer runs and a clock step cannot stretch or cut the minute.
 */
export class Enrolment {
  readonly #clock: Clock;
  readonly #onCaptured: (view: EnrolmentView) => void;
  readonly #armings = new Map<string, Arming>();
  #waiting: Arming | null = null;

  constructor(clock: Clock, onCaptured: (view: EnrolmentView) => void = () => {}) {
    this.#clock = clock;
    this.#onCaptured = onCaptured;
  }

  /** Arms for the next badge; an arming still waiting is replaced. */
  arm(by: string): EnrolmentView {
    this.#expire();
    if (this.#waiting) this.#waiting.view.state = "replaced";
    const nowMono = this.#clock.monotonicMs();
    const now = this.#clock.now();
    const arming: Arming = {
      view: {
        armId: randomUUID(),
        by,
        state: "armed",
        armedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + ENROL_WINDOW_MS).toISOString(),
      },
      untilMono: nowMono + ENROL_WINDOW_MS,
      forgetMono: nowMono + ENROL_WINDOW_MS + KEEP_CAPTURED_MS,
    };
    this.#armings.set(arming.view.armId, arming);
    this.#waiting = arming;
    for (const id of [...this.#armings.keys()].slice(0, -REMEMBERED)) this.#armings.delete(id);
    return { ...arming.view };
  }

  /** Whether an arming is waiting for a badge right now. */
  get armed(): boolean {
    this.#expire();
    return this.#waiting !== null;
  }

  /**
   * Takes the read when an arming waits for it: true means it was captured and must not be
   * journalled. Cheap when nothing is armed: one null check on the tap's path.
   */
  capture(read: BadgeRead): boolean {
    if (this.#waiting === null) return false;
    this.#expire();
    const arming = this.#waiting;
    if (arming === null) return false;
    this.#waiting = null;
    arming.view.state = "captured";
    arming.view.badge = { badgeId: read.badgeId, knownBits: read.knownBits };
    arming.view.capturedAt = this.#clock.now().toISOString();
    arming.forgetMono = this.#clock.monotonicMs() + KEEP_CAPTURED_MS;
    this.#onCaptured({ ...arming.view });
    return true;
  }

  view(armId: string): EnrolmentView | null {
    this.#expire();
    const arming = this.#armings.get(armId);
    return arming ? { ...arming.view } : null;
  }

  cancel(armId: string): EnrolmentView | null {
    this.#expire();
    const arming = this.#armings.get(armId);
    if (!arming) return null;
    if (arming.view.state === "armed") {
      arming.view.state = "cancelled";
      if (this.#waiting === arming) this.#waiting = null;
    }
    return { ...arming.view };
  }

  #expire(): void {
    const nowMono = this.#clock.monotonicMs();
    if (this.#waiting && nowMono > this.#waiting.untilMono) {
      this.#waiting.view.state = "expired";
      this.#waiting = null;
    }
    for (const [id, arming] of this.#armings) {
      if (nowMono > arming.forgetMono) this.#armings.delete(id);
    }
  }
}
