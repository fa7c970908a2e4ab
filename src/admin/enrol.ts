import { setTimeout as sleep } from "node:timers/promises";
import type { EnrolmentView } from "../control/protocol.js";
import { BadgeRepository } from "../store/badges.js";
import { badgeText, type CatalogSource } from "./badge-rules.js";
import { type AddBadgeResult, addBadge } from "./badges.js";
import type { AdminDeps } from "./deps.js";
import { AdminError } from "./errors.js";

/**
 * Enrolment: the running terminal captures the next badge tapped at its reader (instead of
 * journalling it), and the admin maps that badge to a person. The terminal holds the capture;
 * the admin layer arms it, reads it back by the arming's id and saves the mapping as `addBadge`
 * does, so a captured badge follows every rule a typed one does.
 */

export type { EnrolmentView } from "../control/protocol.js";

async function askEnrolment(
  deps: AdminDeps,
  request:
    | { type: "enrol-arm"; by: string }
    | { type: "enrol-state"; armId: string }
    | { type: "enrol-cancel"; armId: string },
): Promise<EnrolmentView | null> {
  const answer = await deps.daemon.ask(request);
  if (!answer.answered) {
    throw new AdminError(
      "ADM_NO_TERMINAL",
      `enrolment needs the running terminal and its reader: ${answer.note.detail}`,
    );
  }
  if (answer.reply.type !== "enrolment") {
    throw new AdminError(
      "ADM_NO_TERMINAL",
      `the terminal answered ${answer.reply.type} to ${request.type}; it may be an older version that cannot enrol`,
    );
  }
  return answer.reply.enrolment;
}

function known(armId: string, enrolment: EnrolmentView | null): EnrolmentView {
  if (!enrolment) {
    throw new AdminError(
      "ADM_NOT_FOUND",
      `enrolment ${JSON.stringify(armId)} is unknown to the terminal (it restarted, or it was long ago); arm it again`,
    );
  }
  return enrolment;
}

/** Arms the reader: the next badge tapped within a minute is captured for `deps.actor`. */
export async function armEnrolment(deps: AdminDeps): Promise<EnrolmentView> {
  return known("new", await askEnrolment(deps, { type: "enrol-arm", by: deps.actor }));
}

export async function enrolmentState(deps: AdminDeps, armId: string): Promise<EnrolmentView> {
  return known(armId, await askEnrolment(deps, { type: "enrol-state", armId }));
}

export async function cancelEnrolment(deps: AdminDeps, armId: string): Promise<EnrolmentView> {
  return known(armId, await askEnrolment(deps, { type: "enrol-cancel", armId }));
}

/** Asks until the arming is no longer waiting (captured, expired, cancelled or replaced). */
export async function waitForEnrolment(
  deps: AdminDeps,
  armId: string,
  options: { pollMs?: number; signal?: AbortSignal } = {},
): Promise<EnrolmentView> {
  for (;;) {
    const state = await enrolmentState(deps, armId);
    if (state.state !== "armed") return state;
    await sleep(options.pollMs ?? 250, undefined, { signal: options.signal });
  }
}

/** The mapping a captured badge already has, if any: the admin is told before it is replaced. */
export function mappingOfCaptured(deps: AdminDeps, enrolment: EnrolmentView): string | null {
  if (!enrolment.badge) return null;
  const lookup = new BadgeRepository(deps.db, deps.clock).lookup(
    enrolment.badge.badgeId,
    enrolment.badge.knownBits,
  );
  return lookup.kind === "found" ? lookup.badge.email : null;
}

export interface SaveEnrolmentInput {
  armId: string;
  email: string;
  name?: string;
  timeTypeId?: string;
  projectId?: string;
  check?: CatalogSource;
}

/** Maps the badge an arming captured; refused unless it captured one. */
export async function saveEnrolment(
  deps: AdminDeps,
  input: SaveEnrolmentInput,
): Promise<AddBadgeResult & { enrolment: EnrolmentView }> {
  const enrolment = await enrolmentState(deps, input.armId);
  if (enrolment.state !== "captured" || !enrolment.badge) {
    const why = {
      armed: "no badge was tapped yet",
      expired: "no badge was tapped within the minute",
      cancelled: "it was cancelled",
      replaced: "the reader was armed again since",
      captured: "it holds no badge",
    }[enrolment.state];
    throw new AdminError("ADM_NO_TAP", `enrolment ${input.armId} cannot be saved: ${why}`);
  }
  const identity = enrolment.badge;
  const result = await addBadge(deps, {
    badge: badgeText(identity),
    // A partial ID of 32 bits is written as the card's decimal; say so, it cannot be guessed.
    ...(identity.knownBits === 32 ? { digits: "dec10" as const } : {}),
    email: input.email,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.timeTypeId !== undefined ? { timeTypeId: input.timeTypeId } : {}),
    ...(input.projectId !== undefined ? { projectId: input.projectId } : {}),
    ...(input.check ? { check: input.check } : {}),
    via: "enrol",
  });
  return { ...result, enrolment };
}
