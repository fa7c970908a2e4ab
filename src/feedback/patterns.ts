/**
 * What each signal looks and sounds like, as data, and the pure function that says which outputs
 * are on at a given moment. Patterns differ in colour, count and length so that a person at the
 * door can tell them apart without reading anything; hardware/README.md describes them for staff.
 */

export type FeedbackSignal =
  | "clock-in"
  | "clock-out"
  | "ignored"
  | "unknown-badge"
  | "refused"
  | "reader-fault"
  | "storage-fault"
  | "self-test"
  | "enrolled";

export type BacklogState = "booked" | "pending" | "stuck";

export interface Levels {
  green: boolean;
  red: boolean;
  buzzer: boolean;
  amber: boolean;
}

/** One stretch of a pattern; amber, when left out, keeps showing the booking backlog. */
export interface Step {
  green: boolean;
  red: boolean;
  buzzer: boolean;
  amber?: boolean;
  durationMs: number;
}

const OFF = { green: false, red: false, buzzer: false };
const step = (on: Partial<Omit<Step, "durationMs">>, durationMs: number): Step => ({
  ...OFF,
  ...on,
  durationMs,
});

function repeat(times: number, steps: Step[], gap: Step): Step[] {
  return Array.from({ length: times }, (_, i) => (i < times - 1 ? [...steps, gap] : steps)).flat();
}

/** Finite patterns, played once when their signal arrives. */
export const PATTERNS: Record<Exclude<FeedbackSignal, "reader-fault">, readonly Step[]> = {
  "clock-in": [step({ green: true, buzzer: true }, 150), step({ green: true }, 850)],
  "clock-out": repeat(
    2,
    [step({ green: true, buzzer: true }, 150), step({ green: true }, 150)],
    step({}, 200),
  ),
  ignored: [step({ green: true, buzzer: true }, 50), step({ green: true }, 250)],
  "unknown-badge": [step({ red: true, buzzer: true }, 1000), step({ red: true }, 1000)],
  refused: repeat(
    3,
    [step({ red: true, buzzer: true }, 150), step({ red: true }, 100)],
    step({}, 200),
  ),
  /** The journal cannot be written (disk full, read-only, damaged, gone): played until exit. */
  "storage-fault": [
    step({ red: true, amber: true, buzzer: true }, 600),
    step({ amber: false }, 200),
    ...repeat(4, [step({ red: true, amber: true }, 150)], step({ amber: false }, 150)),
  ],
  // A badge captured for enrolment: green with three quick beeps, unlike any tap's answer, so the
  // admin at the door knows the console has it.
  enrolled: [
    ...repeat(
      3,
      [step({ green: true, buzzer: true }, 80), step({ green: true }, 80)],
      step({ green: true }, 80),
    ),
    step({ green: true }, 600),
  ],
  "self-test": [
    step({ green: true, amber: false }, 300),
    step({ red: true, amber: false }, 300),
    step({ amber: true }, 300),
    step({ buzzer: true, amber: false }, 150),
  ],
};

/** Repeats while the reader is faulty: red, slow. */
export const READER_FAULT_CYCLE: readonly Step[] = [step({ red: true }, 500), step({}, 1500)];

/** Repeats on the amber LED while a booking is stuck or refused. */
export const BACKLOG_STUCK_CYCLE: readonly boolean[] = [true, false];
export const BACKLOG_BLINK_MS = 500;

export function totalMs(steps: readonly Step[]): number {
  return steps.reduce((sum, s) => sum + s.durationMs, 0);
}

/** The step at `elapsedMs` into a sequence and how long it still lasts; undefined past the end. */
function stepAt(
  steps: readonly Step[],
  elapsedMs: number,
): { step: Step; remainingMs: number } | undefined {
  let start = 0;
  for (const s of steps) {
    if (elapsedMs < start + s.durationMs)
      return { step: s, remainingMs: start + s.durationMs - elapsedMs };
    start += s.durationMs;
  }
  return undefined;
}

function cycleAt(steps: readonly Step[], elapsedMs: number) {
  return stepAt(steps, elapsedMs % totalMs(steps));
}

export interface FeedbackState {
  pattern: { steps: readonly Step[]; startedAtMs: number } | undefined;
  readerFaultSinceMs: number | undefined;
  backlog: BacklogState;
  backlogSinceMs: number;
}

export interface Frame {
  levels: Levels;
  /** When the levels next change by themselves; undefined when they hold until the next input. */
  nextChangeAtMs: number | undefined;
  /** The running pattern has ended and can be dropped from the state. */
  patternEnded: boolean;
}

function amberAt(state: FeedbackState, nowMs: number): { on: boolean; changeAtMs?: number } {
  if (state.backlog === "booked") return { on: false };
  if (state.backlog === "pending") return { on: true };
  const elapsed = nowMs - state.backlogSinceMs;
  const phase = Math.floor(elapsed / BACKLOG_BLINK_MS) % BACKLOG_STUCK_CYCLE.length;
  return {
    on: BACKLOG_STUCK_CYCLE[phase] ?? false,
    changeAtMs: nowMs + BACKLOG_BLINK_MS - (elapsed % BACKLOG_BLINK_MS),
  };
}

const earliest = (...times: (number | undefined)[]) => {
  const defined = times.filter((t): t is number => t !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
};

/** Which outputs are on at `nowMs` (monotonic) and when that next changes. */
export function frameAt(state: FeedbackState, nowMs: number): Frame {
  const amber = amberAt(state, nowMs);
  const running = state.pattern && stepAt(state.pattern.steps, nowMs - state.pattern.startedAtMs);
  if (running) {
    const { step: current, remainingMs } = running;
    const ownsAmber = current.amber !== undefined;
    return {
      levels: {
        green: current.green,
        red: current.red,
        buzzer: current.buzzer,
        amber: current.amber ?? amber.on,
      },
      nextChangeAtMs: earliest(nowMs + remainingMs, ownsAmber ? undefined : amber.changeAtMs),
      patternEnded: false,
    };
  }
  const fault =
    state.readerFaultSinceMs === undefined
      ? undefined
      : cycleAt(READER_FAULT_CYCLE, nowMs - state.readerFaultSinceMs);
  return {
    levels: {
      green: fault?.step.green ?? false,
      red: fault?.step.red ?? false,
      buzzer: fault?.step.buzzer ?? false,
      amber: amber.on,
    },
    nextChangeAtMs: earliest(fault && nowMs + fault.remainingMs, amber.changeAtMs),
    patternEnded: state.pattern !== undefined,
  };
}
