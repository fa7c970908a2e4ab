import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { FeedbackConfig, OutputConfig } from "../gpio/config-schema.js";
import { type GpioDeps, openGpio } from "../gpio/open.js";
import { describePin, resolvePin } from "../gpio/resolve.js";
import { systemTimers, type Timers } from "../gpio/timers.js";
import type { BacklogState, FeedbackSignal } from "./patterns.js";
import { FeedbackPlayer, type OutputName, type OutputSlot, type OutputStatus } from "./player.js";

export type { BacklogState, FeedbackSignal } from "./patterns.js";
export type { OutputStatus } from "./player.js";

export interface FeedbackStatus {
  backend: "sysfs" | "gpiod" | "fake" | "none";
  /** e.g. "libgpiod tools v2.1.3", or why there is no GPIO. */
  detail: string;
  outputs: OutputStatus[];
  readerFault: boolean;
  backlog: BacklogState;
  lastError: string | undefined;
}

/** What the terminal shows a person at the door. */
export interface Feedback {
  /** Never throws, never blocks; a new signal interrupts a running pattern. */
  signal(signal: FeedbackSignal): void;
  /** Ends the slow red blink that signal("reader-fault") started; a read badge ends it too. */
  clearReaderFault(): void;
  /** Amber LED: off when all is booked, on while bookings wait, blinking when one is stuck. */
  setBacklog(state: BacklogState): void;
  status(): FeedbackStatus;
  /** All outputs off, helper processes ended. */
  close(): Promise<void>;
}

export interface FeedbackDeps extends GpioDeps {
  clock: Clock;
  timers?: Timers | undefined;
}

/** No GPIO: each signal becomes a log line. For the demo, laptops and backend "none". */
export function createLogFeedback(logger: Logger, detail = "no GPIO (backend none)"): Feedback {
  let readerFault = false;
  let backlog: BacklogState = "booked";
  return {
    signal(signal) {
      if (signal === "reader-fault") readerFault = true;
      else if (signal !== "self-test") readerFault = false;
      logger.info({ signal }, "feedback");
    },
    clearReaderFault() {
      readerFault = false;
    },
    setBacklog(state) {
      if (state !== backlog) logger.info({ backlog: state }, "feedback backlog");
      backlog = state;
    },
    status: () => ({
      backend: "none",
      detail,
      outputs: [],
      readerFault,
      backlog,
      lastError: undefined,
    }),
    close: async () => {},
  };
}

function configuredOutputs(config: FeedbackConfig): [OutputName, OutputConfig][] {
  const outputs: [OutputName, OutputConfig | null][] = [
    ["green", config.green],
    ["red", config.red],
    ["buzzer", config.buzzer],
    ["amber", config.amber],
  ];
  return outputs.filter((entry): entry is [OutputName, OutputConfig] => entry[1] !== null);
}

/**
 * Opens the configured LEDs and buzzer. A GPIO problem never stops the terminal: it is logged,
 * shown in status(), and the affected outputs stay quiet.
 */
export async function createFeedback(
  config: FeedbackConfig,
  deps: FeedbackDeps,
): Promise<Feedback> {
  const logger = deps.logger.child({ part: "feedback" });
  if (config.backend === "none") return createLogFeedback(logger);
  let opened: Awaited<ReturnType<typeof openGpio>>;
  try {
    opened = await openGpio(config.backend, { ...deps, logger });
  } catch (error) {
    const message = (error as Error).message;
    logger.error({ err: error }, "GPIO backend unavailable; feedback only in the log");
    return withError(createLogFeedback(logger, message), message);
  }
  const { backend, chips } = opened;
  if (!backend) {
    logger.warn(opened.problem);
    return createLogFeedback(logger, opened.problem);
  }

  let player: FeedbackPlayer | undefined;
  const slots: OutputSlot[] = configuredOutputs(config).map(([name, output]) => {
    const slot: OutputSlot = {
      name,
      bcm: output.bcm,
      resolved: undefined,
      output: undefined,
      error: undefined,
    };
    try {
      const pin = resolvePin(output.bcm, chips);
      slot.resolved = describePin(pin);
      logger.info({ output: name, ...pin }, `GPIO ${name}: ${slot.resolved}`);
      slot.output = backend.openOutput({
        name,
        pin,
        activeLow: output.activeLow,
        onFault: (error) => player?.fail(name, error),
      });
    } catch (error) {
      slot.error = (error as Error).message;
      logger.error({ output: name, bcm: output.bcm, err: error }, "GPIO output unavailable");
    }
    return slot;
  });
  player = new FeedbackPlayer(slots, deps.clock, deps.timers ?? systemTimers, logger);
  const running = player;
  const guard = (what: string, action: () => void) => {
    try {
      action();
    } catch (error) {
      logger.error({ err: error }, `feedback ${what} failed`);
    }
  };
  return {
    signal: (signal) =>
      guard("signal", () => {
        logger.debug({ signal }, "feedback");
        running.signal(signal);
      }),
    clearReaderFault: () => guard("clearReaderFault", () => running.clearReaderFault()),
    setBacklog: (state) => guard("setBacklog", () => running.setBacklog(state)),
    status: () => ({
      backend: backend.name,
      detail: backend.detail,
      outputs: running.status(),
      readerFault: running.readerFault,
      backlog: running.backlog,
      lastError: running.lastError,
    }),
    close: () => running.close(),
  };
}

function withError(feedback: Feedback, message: string): Feedback {
  return { ...feedback, status: () => ({ ...feedback.status(), lastError: message }) };
}
