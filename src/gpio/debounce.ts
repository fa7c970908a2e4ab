import type { Timers } from "./timers.js";

/**
 * A contact bounces for a few milliseconds; a level counts only after it held for `debounceMs`.
 * Returns the function to feed raw levels into; `onStable` hears each settled change once.
 */
export function createDebouncer(options: {
  debounceMs: number;
  timers: Timers;
  initial: boolean;
  onStable: (active: boolean) => void;
}): { feed(active: boolean): void; cancel(): void } {
  let stable = options.initial;
  let latest = options.initial;
  let timer: unknown;
  const cancel = () => {
    if (timer !== undefined) options.timers.clearTimeout(timer);
    timer = undefined;
  };
  return {
    feed(active) {
      latest = active;
      cancel();
      timer = options.timers.setTimeout(() => {
        timer = undefined;
        if (latest === stable) return;
        stable = latest;
        options.onStable(stable);
      }, options.debounceMs);
    },
    cancel,
  };
}
