import type { LoadedConfig } from "../config/load.js";
import { keysSnippet, saveSectionKeys } from "../config/save-keys.js";
import type { ServerConfig } from "../config/schema.js";
import { EPOCH_MS, ISO_LOCAL, ISO_OFFSET } from "../goodtime/time-format.js";
import { defaultTimeTypeField, TIME_TYPE_FIELDS, type TimeTypeField } from "../goodtime/types.js";
import { type Finding, fail, ok, warn } from "./types.js";

/**
 * The API dialects the write test tries where the vendor's page is silent: the time format (any
 * version) and, for v1.1, the name of createtimeentry's time type field. The configured dialect
 * comes first, so a terminal that is set right books one test entry and no more.
 */
export interface Dialect {
  timeFormat: string;
  timeTypeField: TimeTypeField;
}

const NAMED_FORMATS = [ISO_OFFSET, ISO_LOCAL, EPOCH_MS];

export function configuredDialect(server: ServerConfig): Dialect {
  return {
    timeFormat: server.timeFormat,
    timeTypeField: server.timeTypeField ?? defaultTimeTypeField(server.apiVersion),
  };
}

/** Format by format, the configured first; within a format, the configured field first. */
export function candidateDialects(server: ServerConfig): Dialect[] {
  const configured = configuredDialect(server);
  const formats = [...new Set([configured.timeFormat, ...NAMED_FORMATS])];
  // v2.1 documents its field; only a site that set another one has a second to try.
  const documented = server.apiVersion === "v2.1" ? ["timetypeid" as const] : TIME_TYPE_FIELDS;
  const fields = [...new Set([configured.timeTypeField, ...documented])];
  return formats.flatMap((timeFormat) =>
    fields.map((timeTypeField) => ({ timeFormat, timeTypeField })),
  );
}

export function describeDialect(dialect: Dialect, server: ServerConfig): string {
  const format = `server.timeFormat ${JSON.stringify(dialect.timeFormat)}`;
  return server.apiVersion === "v1.1" || server.timeTypeField !== undefined
    ? `${format} with server.timeTypeField ${JSON.stringify(dialect.timeTypeField)}`
    : format;
}

/**
 * The config keys that pin `dialect`: the format always; the field where the page is silent
 * (v1.1), where the config names one already, or where the server took another than the default.
 */
export function dialectKeys(dialect: Dialect, server: ServerConfig): Record<string, string> {
  const pinField =
    server.apiVersion === "v1.1" ||
    server.timeTypeField !== undefined ||
    dialect.timeTypeField !== defaultTimeTypeField(server.apiVersion);
  return {
    timeFormat: dialect.timeFormat,
    ...(pinField ? { timeTypeField: dialect.timeTypeField } : {}),
  };
}

function sameDialect(a: Dialect, b: Dialect): boolean {
  return a.timeFormat === b.timeFormat && a.timeTypeField === b.timeTypeField;
}

/**
 * The verdict once the server took `found`: as the round trip said when it is the configured
 * dialect (or `--save` wrote it), a failure naming the keys to set when the config says otherwise.
 */
export function verdictFor(
  found: Dialect,
  roundTrip: Finding,
  loaded: LoadedConfig,
  save: { wanted: boolean; now: Date },
): Finding {
  const { server } = loaded.config;
  const configured = configuredDialect(server);
  const took = `the server took ${describeDialect(found, server)}`;
  const keys = dialectKeys(found, server);
  if (!save.wanted) {
    if (sameDialect(found, configured)) {
      return { ...roundTrip, finding: `${took}: ${roundTrip.finding}` };
    }
    return fail(
      `${took}, not the configured ${describeDialect(configured, server)}: ${roundTrip.finding}`,
      `set ${keysSnippet(keys)} in the "server" section of ${loaded.path}, or run timeclock doctor --write-test --save to write it there`,
    );
  }
  const saved = saveSectionKeys(loaded.path, "server", keys, save.now);
  if (saved.kind === "not-writable") {
    return fail(
      `${took}: ${roundTrip.finding}; but ${loaded.path} cannot be written by this user (${saved.reason})`,
      `add ${saved.snippet} to the "server" section of ${loaded.path} (for example with sudoedit), then restart the service`,
    );
  }
  const note =
    saved.kind === "unchanged"
      ? `${loaded.path} already says so`
      : `saved ${saved.keys.map((key) => `server.${key}`).join(" and ")} to ${loaded.path} (the old file is kept as ${saved.backup})`;
  const finding = `${took}: ${roundTrip.finding}; ${note}`;
  const fixes = [
    ...(saved.kind === "saved" && !sameDialect(found, configured)
      ? [
          "restart the service so that it books with the saved setting: sudo systemctl restart timeclock",
        ]
      : []),
    ...(roundTrip.status === "warn" && roundTrip.fix ? [roundTrip.fix] : []),
  ];
  return fixes.length > 0 ? warn(finding, fixes.join("; ")) : ok(finding);
}
