import type { Logger } from "../core/logger.js";
import type { GpioInput } from "./backend.js";
import type { FeedbackConfig, KeyName } from "./config-schema.js";
import { createDebouncer } from "./debounce.js";
import { type GpioDeps, openGpio } from "./open.js";
import { describePin, resolvePin } from "./resolve.js";
import { systemTimers, type Timers } from "./timers.js";

/**
 * Function keys ("in", "out", "break") on GPIO inputs. A press is reported once, after the contact
 * settled for `debounceMs`; the terminal decides what it means for the next tap.
 */

export interface FunctionKeys {
  close(): Promise<void>;
}

export interface FunctionKeysDeps extends GpioDeps {
  timers?: Timers | undefined;
}

const NO_KEYS: FunctionKeys = { close: async () => {} };

export async function createFunctionKeys(
  config: Pick<FeedbackConfig, "backend" | "keys" | "debounceMs">,
  deps: FunctionKeysDeps,
  onKey: (name: KeyName) => void,
): Promise<FunctionKeys> {
  const logger: Logger = deps.logger.child({ part: "keys" });
  if (config.keys.length === 0) return NO_KEYS;
  if (config.backend === "none") {
    logger.warn('feedback.keys are configured but feedback.backend is "none"; the keys do nothing');
    return NO_KEYS;
  }
  let opened: Awaited<ReturnType<typeof openGpio>>;
  try {
    opened = await openGpio(config.backend, { ...deps, logger });
  } catch (error) {
    logger.error({ err: error }, "GPIO backend unavailable; function keys do nothing");
    return NO_KEYS;
  }
  const { backend, chips } = opened;
  if (!backend) {
    logger.warn(`${opened.problem} Function keys do nothing.`);
    return NO_KEYS;
  }
  if (backend.name === "sysfs") {
    logger.info(
      "sysfs cannot switch on pull-ups: keys need the external 10 kOhm pull-up or a gpio=...=ip,pu line in config.txt (hardware/README.md)",
    );
  }
  const timers = deps.timers ?? systemTimers;
  const open: { input: GpioInput; cancel: () => void }[] = [];
  for (const key of config.keys) {
    try {
      const pin = resolvePin(key.bcm, chips);
      logger.info({ key: key.name, ...pin }, `key ${key.name}: ${describePin(pin)}`);
      const debouncer = createDebouncer({
        debounceMs: config.debounceMs,
        timers,
        initial: false,
        onStable: (active) => {
          if (!active) return;
          logger.debug({ key: key.name }, "function key pressed");
          try {
            onKey(key.name);
          } catch (error) {
            logger.error({ key: key.name, err: error }, "function key handler failed");
          }
        },
      });
      const input = backend.openInput({
        name: `key ${key.name}`,
        pin,
        activeLow: key.activeLow,
        onChange: (active) => debouncer.feed(active),
        onFault: (error) => {
          debouncer.cancel();
          logger.error({ key: key.name, err: error }, "function key input failed; it does nothing");
        },
      });
      open.push({ input, cancel: debouncer.cancel });
    } catch (error) {
      logger.error({ key: key.name, bcm: key.bcm, err: error }, "function key unavailable");
    }
  }
  return {
    close: async () => {
      for (const { input, cancel } of open.splice(0)) {
        cancel();
        try {
          await input.close();
        } catch (error) {
          logger.warn({ err: error }, "function key input did not close cleanly");
        }
      }
    },
  };
}
