import { DateTime } from "luxon";

/**
 * What GoodTime books for a shift: the one place that turns the raw instants of an entry (as
 * tapped, or as an admin typed them) and the site's rounding policy into the span that is sent,
 * shown by `queue`, exported and counted as hours. Pure; the raw instants stay untouched beside it.
 *
 * 1. Seconds are dropped: GoodTime records whole minutes, and so does the payroll.
 * 2. `entry.rounding`, when set, moves the start and the end to a grid of whole minutes in the
 *    site's local time (a step that divides an hour, so :00, :15, :30, :45 for a step of 15), up,
 *    down or to the nearest line (a tie goes up), each end by its own rule.
 * 3. An end that is not after the start (a pair within one minute, or a shift that rounding left
 *    empty) becomes the one minute from the start: GoodTime refuses an empty entry, and its SOAP
 *    service books a same-minute pair as that minute.
 */

export const ROUNDING_DIRECTIONS = ["up", "down", "nearest"] as const;
export type RoundingDirection = (typeof ROUNDING_DIRECTIONS)[number];

/** Steps that divide an hour, so that the grid lines fall on the same minutes in every hour. */
export const ROUNDING_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

export interface RoundingRule {
  stepMinutes: number;
  direction: RoundingDirection;
}

/** The rules of `entry.rounding` with the zone whose local hours the grid follows. */
export interface RoundingPolicy {
  start: RoundingRule | null;
  end: RoundingRule | null;
  zone: string;
}

export interface Span {
  start: Date;
  end: Date;
}

const MINUTE_MS = 60_000;

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Rounds on the local clock: the offset in force at the instant is added, the local reading is
 * rounded, and the same offset is taken away again. DST changes happen on a whole hour, which is a
 * grid line of every step, so the result is the instant the local grid line names (01:53 CET
 * rounded up to 15 minutes on 2026-03-29 is 03:00 CEST, the instant the clock jumps).
 */
function roundOnLocalGrid(ms: number, rule: RoundingRule, zone: string): number {
  const stepMs = rule.stepMinutes * MINUTE_MS;
  const offsetMs = DateTime.fromMillis(ms, { zone }).offset * MINUTE_MS;
  const local = ms + offsetMs;
  const below = Math.floor(local / stepMs) * stepMs;
  let rounded = below;
  if (rule.direction === "up" && below !== local) rounded = below + stepMs;
  if (rule.direction === "nearest" && (local - below) * 2 >= stepMs) rounded = below + stepMs;
  return rounded - offsetMs;
}

export function bookedSpan(raw: Span, policy: RoundingPolicy | null): Span {
  let start = floorMinute(raw.start.getTime());
  let end = floorMinute(raw.end.getTime());
  if (policy?.start) start = roundOnLocalGrid(start, policy.start, policy.zone);
  if (policy?.end) end = roundOnLocalGrid(end, policy.end, policy.zone);
  if (end <= start) end = start + MINUTE_MS;
  return { start: new Date(start), end: new Date(end) };
}

/** Whole minutes of a booked span. */
export function spanMinutes(span: Span): number {
  return Math.round((span.end.getTime() - span.start.getTime()) / MINUTE_MS);
}

/** The policy for entries queued now, from `entry.rounding` and `terminal.timeZone`; null when off. */
export function roundingPolicy(
  rounding: { start: RoundingRule | null; end: RoundingRule | null } | null,
  zone: string,
): RoundingPolicy | null {
  if (!rounding || (!rounding.start && !rounding.end)) return null;
  return { start: rounding.start, end: rounding.end, zone };
}

function describeRule(rule: RoundingRule): string {
  return `${rule.direction} to ${rule.stepMinutes} min`;
}

/** "start up to 15 min, end down to 15 min", or "whole minutes" without a policy, for people. */
export function describeRounding(policy: RoundingPolicy | null): string {
  if (!policy) return "whole minutes";
  const parts = [
    policy.start ? `start ${describeRule(policy.start)}` : "start to the minute",
    policy.end ? `end ${describeRule(policy.end)}` : "end to the minute",
  ];
  return `${parts.join(", ")} (${policy.zone})`;
}

function isRule(value: unknown): value is RoundingRule {
  if (typeof value !== "object" || value === null) return false;
  const rule = value as Record<string, unknown>;
  return (
    ROUNDING_STEPS.some((step) => step === rule.stepMinutes) &&
    ROUNDING_DIRECTIONS.some((direction) => direction === rule.direction)
  );
}

/** The policy as an entry keeps it (JSON text, or null for none). */
export function serialiseRounding(policy: RoundingPolicy | null): string | null {
  return policy === null ? null : JSON.stringify(policy);
}

/** Reads what `serialiseRounding` wrote; throws on anything else, which would be a damaged row. */
export function parseRounding(text: string | null): RoundingPolicy | null {
  if (text === null) return null;
  const value = JSON.parse(text) as Record<string, unknown>;
  const { start, end, zone } = value;
  if (
    typeof zone !== "string" ||
    !(start === null || isRule(start)) ||
    !(end === null || isRule(end))
  ) {
    throw new Error(`stored rounding policy ${JSON.stringify(text)} is not one timeclock wrote`);
  }
  return { start, end, zone };
}
