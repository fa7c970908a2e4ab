import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/core/logger.js";

/** A real pino logger whose JSON lines land in an array. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ level: "debug", redactBadges: false }, destination), lines };
}
