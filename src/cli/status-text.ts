import { ageText, localTime } from "../admin/format.js";
import type { Attention, StatusInputs } from "../admin/index.js";
import type { Config } from "../config/schema.js";
import { readFingerprint } from "../console/tls.js";
import type { ReaderStatus } from "../readers/reader.js";
import type { EntryState } from "../store/outbox.js";
import { MAX_SKEW_MS } from "../terminal/server-clock.js";
import { wrapAfter } from "./output.js";

const LABEL_WIDTH = 13;

function seconds(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  return `${sign}${Math.round(Math.abs(ms) / 1000)} s`;
}

function readerLine(reader: ReaderStatus, zone: string): string {
  const counters = Object.entries(reader.counters)
    .filter(([, value]) => value > 0)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
  const lastRead = reader.lastReadAt
    ? `last read ${localTime(new Date(reader.lastReadAt), zone)}`
    : "no read yet";
  return `${reader.type}${reader.device ? ` ${reader.device}` : ""}: ${reader.state}; ${lastRead}${counters ? `; ${counters}` : ""}`;
}

function syncLine(sync: NonNullable<StatusInputs["sync"]>, zone: string): string {
  if (sync.phase === "no-credentials") {
    return `no credentials${sync.detail ? `: ${sync.detail}` : ""}`;
  }
  const parts: string[] = [sync.phase];
  if (sync.pausedUntil) parts.push(`paused until ${localTime(new Date(sync.pausedUntil), zone)}`);
  if (sync.lastError) parts.push(`last error ${sync.lastError.message} [${sync.lastError.code}]`);
  return parts.join("; ");
}

function clockLine(clock: NonNullable<StatusInputs["clock"]>): string {
  if (clock.synchronized && clock.source === "none") {
    return "trusted without proof: no time service can tell here (terminal.clockTrust auto)";
  }
  if (clock.synchronized && clock.source === "config") {
    return 'trusted by terminal.clockTrust "system"';
  }
  return clock.synchronized
    ? `synchronised (${clock.source})`
    : `NOT synchronised (${clock.source})${clock.detail ? `: ${clock.detail}` : ""}`;
}

function siteLine(site: NonNullable<StatusInputs["site"]>, zone: string): string {
  const parts = [
    `door ${site.terminalId}, ${site.online ? "database answers" : "CUT OFF from the database"}`,
    site.lastContactAt
      ? `last contact ${localTime(new Date(site.lastContactAt), zone)}`
      : "no contact yet",
    `${site.waiting} tap(s) to copy, ${site.provisional} paired alone`,
  ];
  if (site.lastMerge) {
    parts.push(
      `last merge ${localTime(new Date(site.lastMerge.at), zone)}: ${site.lastMerge.agreed} agreed, ${site.lastMerge.conflicts} to review`,
    );
  }
  return `${parts.join("; ")}; the whole site: timeclock site status`;
}

/**
 * The human summary, every line within 80 columns: what needs attention first, most urgent on
 * top, then every part on its own labelled line, wrapped under its label.
 */
export function renderStatus(inputs: StatusInputs, attention: readonly Attention[]): string {
  const { now, zone, daemon, entries } = inputs;
  const lines: string[] = [];
  if (attention.length === 0) lines.push("OK: nothing needs attention");
  for (const item of attention) {
    lines.push(...wrapAfter(`${item.severity.toUpperCase()}: `, item.message, undefined, "  "));
  }
  lines.push("");
  const stale = daemon?.running ? "" : " (as last published)";
  const indent = " ".repeat(LABEL_WIDTH);
  const row = (label: string, text: string) =>
    lines.push(...wrapAfter(label.padEnd(LABEL_WIDTH), text));
  row(
    "terminal",
    daemon
      ? `${daemon.name}, pid ${daemon.pid} ${daemon.running ? "running" : "NOT running"}, started ${localTime(new Date(daemon.startedAt), zone)}`
      : "never started",
  );
  const waiting = daemon?.running ? "starting" : "unknown";
  row("reader", inputs.reader ? `${readerLine(inputs.reader, zone)}${stale}` : waiting);
  row("sync", inputs.sync ? `${syncLine(inputs.sync, zone)}${stale}` : waiting);
  if (inputs.site) row("site", `${siteLine(inputs.site, zone)}${stale}`);
  const counts = (Object.entries(entries) as [EntryState, number][])
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
  row("entries", counts);
  row(
    "unbooked",
    inputs.oldestUnbookedAt
      ? `oldest waits ${ageText(now.getTime() - inputs.oldestUnbookedAt.getTime())} (since ${localTime(inputs.oldestUnbookedAt, zone)})`
      : "none",
  );
  row(
    "last booked",
    inputs.lastBookedAt
      ? `${localTime(inputs.lastBookedAt, zone)} (${ageText(now.getTime() - inputs.lastBookedAt.getTime())} ago)`
      : "never",
  );
  row("open shifts", `${inputs.openShifts.length}`);
  for (const shift of inputs.openShifts) {
    const who = shift.badgeName ? `${shift.email} (${shift.badgeName})` : shift.email;
    lines.push(
      ...wrapAfter(
        indent,
        `${who} since ${localTime(shift.start, zone)}${shift.startSynced ? "" : " (clock not synchronised)"}`,
        undefined,
        `${indent}  `,
      ),
    );
  }
  row("reviews", `${inputs.openReviews} open`);
  row(
    "unknown",
    inputs.unknownBadges.length > 0
      ? `${inputs.unknownBadges.length} badge(s) tapped since last listed: ${inputs.unknownBadges.map((badge) => badge.text).join(", ")}`
      : "no unknown badge tapped since last listed",
  );
  row("clock", inputs.clock ? clockLine(inputs.clock) : waiting);
  if (inputs.backup) {
    const { backup } = inputs;
    row(
      "backup",
      `every ${backup.every} to ${backup.path}; last ${backup.lastAt ? `${localTime(new Date(backup.lastAt), zone)} (${backup.lastFile})` : "none yet"}${backup.nextAt ? `, next ${localTime(new Date(backup.nextAt), zone)}` : ""}`,
    );
  }
  row(
    "server clock",
    inputs.serverClock
      ? `${seconds(inputs.serverClock.skewMs)} against GoodTime${Math.abs(inputs.serverClock.skewMs) > MAX_SKEW_MS ? " (beyond 2 min)" : ""}, seen ${localTime(new Date(inputs.serverClock.observedAt), zone)}`
      : "not compared yet",
  );
  return `${lines.join("\n")}\n`;
}

/** What status says of the web console: where, and the certificate to compare in the browser. */
export function consoleSummary(config: Config): {
  enabled: boolean;
  url?: string;
  fingerprint?: string | null;
  certificate?: string;
} {
  const section = config.console;
  if (!section.enabled) return { enabled: false };
  const host =
    section.listen === "0.0.0.0" || section.listen === "::" ? "THIS-TERMINAL" : section.listen;
  const url = `${section.https ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${section.port}/`;
  if (!section.https) return { enabled: true, url, fingerprint: null };
  const reading = readFingerprint(config);
  return reading.ok
    ? { enabled: true, url, fingerprint: reading.fingerprint }
    : { enabled: true, url, fingerprint: null, certificate: `${reading.path}: ${reading.reason}` };
}

/** The console's lines of `status`, within 80 columns: a fingerprint is split after 16 bytes. */
export function renderConsoleLines(summary: ReturnType<typeof consoleSummary>): string {
  const label = "console".padEnd(LABEL_WIDTH);
  const indent = " ".repeat(LABEL_WIDTH);
  if (!summary.enabled) return `${label}off (console.enabled is false)\n`;
  const lines = [`${label}${summary.url}`];
  if (summary.fingerprint) {
    const bytes = summary.fingerprint.split(":");
    lines.push(`${indent}SHA-256 ${bytes.slice(0, 16).join(":")}`);
    lines.push(`${indent}        ${bytes.slice(16).join(":")}`);
  } else if (summary.certificate) {
    lines.push(
      ...wrapAfter(indent, `certificate not made yet or unreadable (${summary.certificate})`),
    );
  }
  return `${lines.join("\n")}\n`;
}
