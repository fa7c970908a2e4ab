/** Exponential backoff with full jitter (a random delay between 0 and the capped exponential). */
export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

export function backoffDelayMs(
  attempt: number,
  settings: BackoffSettings,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const cap = Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * cap);
  // The server's Retry-After is a floor: coming back sooner only earns another refusal.
  return retryAfterMs === undefined
    ? jittered
    : Math.max(jittered, Math.min(retryAfterMs, settings.maxMs * 4));
}
