import { Writable } from "node:stream";
import { createLogger, silentLogger } from "../../src/core/logger.js";
import { GoodTimeClient, type GoodTimeClientOptions } from "../../src/goodtime/client.js";
import { SEED_ADMIN } from "../../src/simulator/index.js";

/** A client for a simulator started with its defaults, changed by `overrides`. */
export function clientFor(
  url: string,
  overrides: Partial<GoodTimeClientOptions> = {},
): GoodTimeClient {
  return new GoodTimeClient({
    baseUrl: url,
    apiVersion: "v2.1",
    loginEmail: SEED_ADMIN.loginEmail,
    apiPassword: SEED_ADMIN.apiPassword,
    authHeader: "Authorization",
    authScheme: "Bearer",
    timeFormat: "iso-offset",
    timeZone: "Europe/Berlin",
    timeoutMs: 5000,
    logger: silentLogger(),
    ...overrides,
  });
}

/** A trace-level logger whose JSON lines are kept in memory. */
export function capturedLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: "trace", redactBadges: false }, sink);
  return { logger, lines };
}

/** Runs `promise` expecting it to fail, and returns what it failed with. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
