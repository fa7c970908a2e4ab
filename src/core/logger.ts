import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import type { SecretScrubber } from "./secrets.js";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Paths whose values never reach a log line, whichever part logs them. */
const ALWAYS_REDACTED = [
  "password",
  "apiPassword",
  "apipassword",
  "token",
  "authorization",
  "*.password",
  "*.apiPassword",
  "*.apipassword",
  "*.token",
  "*.authorization",
  "*.Authorization",
  "headers.authorization",
];
const BADGE_PATHS = ["badge", "badgeId", "*.badge", "*.badgeId"];

export interface LoggerSettings {
  level: LogLevel;
  /** Replace badge IDs with a placeholder, for sites where a badge number counts as personal data. */
  redactBadges: boolean;
  /**
   * Scrubs every finished line: path redaction hides known fields, this hides a secret wherever
   * it ended up (an error message, a server's quoted answer) and in whatever encoding.
   */
  secrets?: SecretScrubber;
}

/** The root logger: JSON lines for journald. Parts take `logger.child({ part: "..." })`. */
export function createLogger(settings: LoggerSettings, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: settings.redactBadges ? [...ALWAYS_REDACTED, ...BADGE_PATHS] : ALWAYS_REDACTED,
      censor: "[redacted]",
    },
    ...(settings.secrets ? { hooks: { streamWrite: scrubWith(settings.secrets) } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

function scrubWith(secrets: SecretScrubber): (line: string) => string {
  return (line) => secrets.scrub(line);
}

/** A logger that discards everything, for commands and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
