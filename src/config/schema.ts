import { DateTime, IANAZone } from "luxon";
import * as z from "zod";
import { consoleSchema } from "../console/config-schema.js";
import { LOG_LEVELS } from "../core/logger.js";
import { displaySchema } from "../display/config-schema.js";
import { DOOR_LOCALES } from "../display/messages.js";
import { TIME_TYPE_FIELDS } from "../goodtime/types.js";
import { feedbackSchema } from "../gpio/config-schema.js";
import { ROUNDING_DIRECTIONS, ROUNDING_STEPS } from "../pairing/booked-span.js";
import { readerSchema } from "../readers/config-schema.js";
import { backupSchema } from "./backup-schema.js";
import { siteSchema } from "./site-schema.js";

/**
 * The one source for validation, defaults and the configuration reference. Every key carries a
 * description with its unit, range and default; `timeclock config schema` prints the JSON Schema
 * made from it and the README's reference table is checked against it by a test.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

const timeZone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'must be an IANA time zone name such as "Europe/Berlin" or "America/New_York"',
});

const baseUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({
      code: "custom",
      message: 'must be an absolute URL such as "https://getgoodtime.com/goodtime-rs"',
    });
    return;
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith("127.");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    ctx.addIssue({
      code: "custom",
      message: "must use https:// (plain http:// is allowed only for a simulator on loopback)",
    });
  }
  if (url.search || url.hash) {
    ctx.addIssue({ code: "custom", message: "must not carry a query string or fragment" });
  }
});

const NAMED_TIME_FORMATS = ["iso-offset", "iso-local", "epoch-ms"];

/** A pattern must carry date and time to the minute, or shifts would be booked on the wrong day. */
const timeFormat = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    if (NAMED_TIME_FORMATS.includes(value)) return;
    const sample = DateTime.fromISO("2026-03-29T07:59:00", { zone: "UTC" });
    const text = sample.toFormat(value);
    const back = DateTime.fromFormat(text, value, { zone: "UTC" });
    if (!back.isValid || back.toMillis() !== sample.toMillis()) {
      ctx.addIssue({
        code: "custom",
        message: `is neither ${NAMED_TIME_FORMATS.join(", ")} nor a luxon pattern that writes date and time to the minute (it writes 2026-03-29 07:59 as ${JSON.stringify(text)}, which does not read back)`,
      });
    }
  });

const COMMENT_PLACEHOLDERS = ["{terminal}", "{badgeName}"];

const commentTemplate = z
  .string()
  .max(500)
  .superRefine((value, ctx) => {
    for (const placeholder of value.match(/\{[^}]*\}/g) ?? []) {
      if (!COMMENT_PLACEHOLDERS.includes(placeholder)) {
        ctx.addIssue({
          code: "custom",
          message: `has the unknown placeholder ${placeholder}; allowed: ${COMMENT_PLACEHOLDERS.join(", ")}`,
        });
      }
    }
  });

const terminalSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(64)
      .default("front-door")
      .describe(
        "Name of this terminal, shown in logs and usable in the entry comment. Default: front-door.",
      ),
    timeZone: timeZone
      .default("Europe/Berlin")
      .describe(
        "IANA time zone of the site; local times are rendered and sent in it. Default: Europe/Berlin.",
      ),
    dataDir: z
      .string()
      .min(1)
      .default("/var/lib/timeclock")
      .describe(
        "Directory holding the SQLite database (journal, badges, outbox). Default: /var/lib/timeclock.",
      ),
    clockTrust: z
      .enum(["auto", "ntp", "system"])
      .default("auto")
      .describe(
        'When tap times count as trustworthy. "auto": once systemd-timesyncd, timedatectl or chrony reports the clock synchronised (a Pi without a battery clock boots with a stale time: shifts tapped before are held, then re-anchored), and always where none of them can tell (a container or a host without systemd). "ntp": only once synchronisation is confirmed, even where nothing can tell. "system": always (a battery-backed RTC). Default: auto.',
      ),
    locale: z
      .enum(DOOR_LOCALES)
      .default("en")
      .describe(
        'Language of everything employees see at the door (display.type): "en" (English) or "de" (German). Default: en.',
      ),
  })
  .describe("This terminal.");

const serverSchema = z
  .strictObject({
    baseUrl: baseUrl
      .default("https://getgoodtime.com/goodtime-rs")
      .describe(
        "GoodTime REST base URL; paths are appended to it. Default: https://getgoodtime.com/goodtime-rs.",
      ),
    apiVersion: z
      .enum(["v2.1", "v1.1"])
      .default("v2.1")
      .describe(
        'API version: "v2.1" (/api/time-v2.1, time types, comments) or "v1.1" (/api/time, time categories). Default: v2.1.',
      ),
    timeTypeField: z
      .enum(TIME_TYPE_FIELDS)
      .optional()
      .describe(
        'Name of the time type field that createtimeentry takes: "timetypeid" or "timecategoryid". The vendor names it for v2.1 (timetypeid) but not for v1.1; timeclock doctor --write-test finds the one the server takes and --save writes it here. Default: timetypeid for v2.1, timecategoryid for v1.1.',
      ),
    loginEmail: z
      .email()
      .describe(
        "Login email of the GoodTime admin whose API password the terminal uses. Required.",
      ),
    apiPassword: z
      .string()
      .min(1)
      .optional()
      .describe(
        "API password (Settings, tab Security). Prefer apiPasswordFile, TIMECLOCK_API_PASSWORD or the systemd credential apipassword, which take precedence in the order TIMECLOCK_API_PASSWORD, credential, apiPasswordFile, apiPassword.",
      ),
    apiPasswordFile: z
      .string()
      .min(1)
      .optional()
      .describe("File whose first line is the API password. Optional."),
    authHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name (letters, digits, dashes)")
      .default("Authorization")
      .describe("Header that carries the login token. Default: Authorization."),
    authScheme: z
      .string()
      .regex(/^[A-Za-z0-9-]*$/, "must be a single word such as Bearer, or empty for the bare token")
      .default("Bearer")
      .describe(
        'Word put before the token in that header; "" sends the bare token. Default: Bearer.',
      ),
    timeFormat: timeFormat
      .default("iso-offset")
      .describe(
        'How instants are sent: "iso-offset" (2026-03-29T07:59:00+02:00), "iso-local" (2026-03-29T07:59:00), "epoch-ms", or a luxon format pattern such as "yyyy-MM-dd HH:mm". Default: iso-offset.',
      ),
    timeoutMs: z
      .int()
      .min(1000)
      .max(120_000)
      .default(10_000)
      .describe("Timeout of one HTTP request in milliseconds, 1000 to 120000. Default: 10000."),
  })
  .describe("The GoodTime account the terminal books into.");

function roundingRule(end: "start" | "end") {
  return z
    .strictObject({
      stepMinutes: z
        .int()
        .refine((step) => ROUNDING_STEPS.some((allowed) => allowed === step), {
          message: `must divide an hour: one of ${ROUNDING_STEPS.join(", ")}`,
        })
        .describe(
          `Grid of the ${end}, in minutes of local time counted from each full hour: ${ROUNDING_STEPS.join(", ")}. Required.`,
        ),
      direction: z
        .enum(ROUNDING_DIRECTIONS)
        .describe(
          '"up" (to the next grid line), "down" (to the one before) or "nearest" (a tie goes up), after the seconds are dropped. Required.',
        ),
    })
    .nullable()
    .default(null)
    .describe(
      `How the ${end} of a booked shift is rounded, or null to book it to the minute. Default: null.`,
    );
}

const roundingSchema = z
  .strictObject({ start: roundingRule("start"), end: roundingRule("end") })
  .nullable()
  .default(null)
  .describe(
    'Rounding of booked shifts, as a payroll office may ask for, e.g. { "start": { "stepMinutes": 15, "direction": "up" }, "end": { "stepMinutes": 15, "direction": "down" } }; null books the tapped minutes (seconds dropped). The policy in force when a shift closes is kept with its entry and applied when it is booked, so a later change never alters a queued entry; GoodTime, queue and export show the same rounded span and hours, and the journal and the export keep the tapped instants beside it. A shift that rounding leaves empty is booked as the one minute at its rounded start (pairing.minShiftSeconds sends such shifts to review instead). A start rounded down or an end rounded up can make back-to-back shifts of one user overlap, and GoodTime refuses the later one (parked as refused for an admin). Default: null (off).',
  );

const entrySchema = z
  .strictObject({
    timeTypeId: z
      .string()
      .min(1)
      .describe(
        "GoodTime time type id (v1.1: time category id) of booked shifts; a badge may override it. Required.",
      ),
    projectId: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        "GoodTime project id of booked shifts, or null for none; a badge may override it. Default: null.",
      ),
    comment: commentTemplate
      .default("{terminal}")
      .describe(
        "Comment template of booked entries (v2.1 only); placeholders {terminal} and {badgeName}. Default: {terminal}.",
      ),
    rounding: roundingSchema,
  })
  .describe("What a booked shift looks like.");

const pairingSchema = z
  .strictObject({
    minGapSeconds: z
      .int()
      .min(0)
      .max(3600)
      .default(60)
      .describe(
        "A tap this many seconds or less after the same user's last accepted tap is ignored. 0 to 3600. Default: 60.",
      ),
    maxShiftHours: z
      .number()
      .min(1)
      .max(48)
      .default(12)
      .describe(
        "An open shift older than this many hours is sent to review instead of being closed. 1 to 48. Default: 12.",
      ),
    minShiftSeconds: z
      .int()
      .min(0)
      .max(3600)
      .default(0)
      .describe(
        "A shift shorter than this many seconds from clock-in to clock-out is sent to review instead of being booked (a clock-out by mistake just after the clock-in); only values above minGapSeconds matter, since closer taps are ignored. 0 books every shift. 0 to 3600. Default: 0.",
      ),
  })
  .describe("How taps pair into shifts.");

const syncSchema = z
  .strictObject({
    concurrency: z
      .int()
      .min(1)
      .max(16)
      .default(2)
      .describe("Users booked in parallel. 1 to 16. Default: 2."),
    retryBaseMs: z
      .int()
      .min(100)
      .max(600_000)
      .default(2000)
      .describe(
        "First retry delay in milliseconds; it doubles per attempt with full jitter. 100 to 600000. Default: 2000.",
      ),
    retryMaxMs: z
      .int()
      .min(1000)
      .max(86_400_000)
      .default(600_000)
      .describe(
        "Longest retry delay in milliseconds. 1000 to 86400000. Default: 600000 (10 minutes).",
      ),
  })
  .describe("Booking of finished shifts into GoodTime.");

const logSchema = z
  .strictObject({
    level: z
      .enum(LOG_LEVELS)
      .default("info")
      .describe(
        "Log level: fatal, error, warn, info, debug, trace or silent; TIMECLOCK_LOG_LEVEL overrides it. Default: info.",
      ),
    redactBadges: z
      .boolean()
      .default(false)
      .describe("Replace badge IDs in log lines with [redacted]. Default: false."),
  })
  .describe("Logging (JSON lines on stdout).");

export const configSchema = z
  .strictObject({
    terminal: terminalSchema.prefault({}),
    server: serverSchema,
    reader: readerSchema.prefault({ type: "serial" }),
    entry: entrySchema,
    pairing: pairingSchema.prefault({}),
    sync: syncSchema.prefault({}),
    feedback: feedbackSchema.prefault({}),
    log: logSchema.prefault({}),
    backup: backupSchema.prefault({}),
    console: consoleSchema.prefault({}),
    display: displaySchema.prefault({}),
    site: siteSchema,
  })
  .superRefine((config, ctx) => {
    if (config.display.type === "kiosk" && config.display.kiosk.port === config.console.port) {
      ctx.addIssue({
        code: "custom",
        path: ["display", "kiosk", "port"],
        message: `is ${config.display.kiosk.port}, which console.port uses already; give the kiosk page a port of its own, such as 8088`,
      });
    }
    if (config.display.kiosk.pin.enabled && config.display.type !== "kiosk") {
      ctx.addIssue({
        code: "custom",
        path: ["display", "kiosk", "pin", "enabled"],
        input: true,
        message: `is true, but display.type is "${config.display.type}": a PIN is typed on the kiosk page's touch screen; set display.type to "kiosk", or enabled to false`,
      });
    }
    // A claim must outlive the request it covers, or a second terminal could send it again.
    const site = config.site;
    if (site && site.leaseSeconds * 1000 <= 2 * config.server.timeoutMs) {
      ctx.addIssue({
        code: "custom",
        path: ["site", "leaseSeconds"],
        input: site.leaseSeconds,
        message: `must exceed twice server.timeoutMs (${config.server.timeoutMs} ms), so that a claim outlives the request it covers; raise it or lower server.timeoutMs`,
      });
    }
  })
  .describe("timeclock configuration");

export type Config = z.infer<typeof configSchema>;
export type ServerConfig = Config["server"];
