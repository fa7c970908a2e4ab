import { isIP } from "node:net";
import * as z from "zod";

/** The `console` section of the config; part of the one config schema in src/config/schema.ts. */

export const CONSOLE_LOCALES = ["auto", "en", "de"] as const;
export type ConsoleLocaleSetting = (typeof CONSOLE_LOCALES)[number];

/** Addresses only this machine can reach: the one place plain HTTP is allowed. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

const listen = z
  .string()
  .min(1)
  .refine((value) => isIP(value.replace(/^\[|\]$/g, "")) !== 0 || value === "localhost", {
    message:
      'must be an IP address to listen on, such as "0.0.0.0" (every IPv4 interface), "::" (every interface), "127.0.0.1" (this machine only) or "localhost"',
  });

const pemFile = z.string().min(1).nullable().default(null);

export const consoleSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        "Serve the web admin console from `timeclock run` (in a supervised child process that cannot delay a tap). Set a password first: timeclock console password. Default: false.",
      ),
    listen: listen
      .default("0.0.0.0")
      .describe(
        'Address the console listens on: "0.0.0.0" for every IPv4 interface, "::" for every interface, "127.0.0.1" for this machine only. Default: 0.0.0.0.',
      ),
    port: z
      .int()
      .min(1)
      .max(65_535)
      .default(8443)
      .describe(
        "TCP port of the console, 1 to 65535 (below 1024 needs privileges). Default: 8443.",
      ),
    https: z
      .boolean()
      .default(true)
      .describe(
        "Serve over HTTPS. false (plain HTTP) is allowed only when listen is a loopback address (127.0.0.1, ::1, localhost), e.g. behind a reverse proxy on the same machine. Default: true.",
      ),
    certFile: pemFile.describe(
      "PEM certificate chain of the console; null makes a self-signed certificate on first start and keeps it in terminal.dataDir (console-cert.pem, console-key.pem). Give keyFile with it. Default: null.",
    ),
    keyFile: pemFile.describe(
      "PEM private key belonging to certFile, readable by the service user only. Default: null.",
    ),
    locale: z
      .enum(CONSOLE_LOCALES)
      .default("auto")
      .describe(
        'Language of the console: "en" (English), "de" (German) or "auto" (the browser\'s Accept-Language, English when it asks for neither). Default: auto.',
      ),
  })
  .superRefine((section, ctx) => {
    if (!section.https && !isLoopbackAddress(section.listen)) {
      ctx.addIssue({
        code: "custom",
        path: ["https"],
        message: `is false (plain HTTP), which is allowed only on a loopback address, but listen is ${JSON.stringify(section.listen)}: admins would send the console password unencrypted over the network. Set https to true, or listen to "127.0.0.1"`,
      });
    }
    if ((section.certFile === null) !== (section.keyFile === null)) {
      ctx.addIssue({
        code: "custom",
        path: [section.certFile === null ? "certFile" : "keyFile"],
        message:
          "is missing: certFile and keyFile go together (a certificate and its key); give both, or neither for a self-signed certificate",
      });
    }
  })
  .describe("The web admin console.");

export type ConsoleConfig = z.infer<typeof consoleSchema>;
