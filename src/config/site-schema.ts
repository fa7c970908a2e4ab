import * as z from "zod";

/**
 * The `site` section: several doors (terminals) of one site sharing badges, shifts and bookings
 * through one PostgreSQL database. Off (null) by default; a lone terminal runs on SQLite alone.
 */

/** sslmode values that keep TLS verification on, or name plain TCP explicitly. */
export const SITE_SSL_MODES = ["disable", "require", "verify-ca", "verify-full"] as const;
export type SiteSslMode = (typeof SITE_SSL_MODES)[number];

const database = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({
      code: "custom",
      message:
        'must be a PostgreSQL connection URL such as "postgresql://timeclock@db.example.com:5432/timeclock?sslmode=verify-full"',
    });
    return;
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    ctx.addIssue({
      code: "custom",
      message: `must start with postgresql:// (it starts with ${url.protocol}//)`,
    });
  }
  if (!url.hostname) ctx.addIssue({ code: "custom", message: "must name the database host" });
  if (url.pathname.length <= 1) {
    ctx.addIssue({
      code: "custom",
      message: 'must name the database after the host, e.g. ".../timeclock"',
    });
  }
  const mode = url.searchParams.get("sslmode");
  if (mode !== null && !SITE_SSL_MODES.some((allowed) => allowed === mode)) {
    ctx.addIssue({
      code: "custom",
      message: `has sslmode=${mode}; allowed: ${SITE_SSL_MODES.join(", ")} (prefer, allow and no-verify would accept a server nobody verified)`,
    });
  }
  const allowed = new Set(["sslmode", "sslrootcert", "application_name", "connect_timeout"]);
  for (const key of url.searchParams.keys()) {
    if (!allowed.has(key)) {
      ctx.addIssue({
        code: "custom",
        message: `has the parameter ${key}; allowed: ${[...allowed].join(", ")}`,
      });
    }
  }
});

export const siteSchema = z
  .strictObject({
    database: database.describe(
      'PostgreSQL connection URL of the site database, e.g. "postgresql://timeclock@db.example.com:5432/timeclock?sslmode=verify-full&sslrootcert=/etc/timeclock/site-ca.pem". sslmode: verify-full (certificate and host name checked), verify-ca (certificate only), require (checked as verify-full, as node-postgres does) or disable (plain TCP: only on a trusted network or loopback). Keep the password out of it: TIMECLOCK_SITE_DB_PASSWORD, the systemd credential sitedbpassword or site.databasePasswordFile, in that order, take precedence. Required.',
    ),
    databasePasswordFile: z
      .string()
      .min(1)
      .optional()
      .describe("File whose first line is the site database password. Optional."),
    terminalId: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,31}$/,
        "must be 1 to 32 lower-case letters, digits or dashes, starting with a letter or digit, e.g. front-door",
      )
      .describe(
        "This door's id in the site, unique among its terminals and never changed once taps were recorded (taps are keyed by it): 1 to 32 lower-case letters, digits or dashes. Required.",
      ),
    tapTimeoutMs: z
      .int()
      .min(50)
      .max(5000)
      .default(500)
      .describe(
        "How long a tap waits for the site database before this door pairs it with what it last knew (provisional, merged when the database answers again). 50 to 5000. Default: 500.",
      ),
    leaseSeconds: z
      .int()
      .min(5)
      .max(3600)
      .default(120)
      .describe(
        "How long a terminal's claim on an entry to book lasts; a terminal that died mid-booking leaves the entry to the others after this. Must exceed twice server.timeoutMs. 5 to 3600. Default: 120.",
      ),
  })
  .nullable()
  .default(null)
  .describe(
    "Site mode: several terminals sharing badges, shifts and bookings through one PostgreSQL database (docs/site.md); null (the default) keeps this terminal on its own SQLite journal alone.",
  );

export type SiteConfig = NonNullable<z.infer<typeof siteSchema>>;
