import type { ReaderStatus } from "../readers/reader.js";
import type { EntryState } from "../store/outbox.js";
import type { SyncState } from "../sync/sync-worker.js";
import type { ClockState } from "../system/clock-state.js";
import { MAX_SKEW_MS, type ServerClockSkew } from "../terminal/server-clock.js";
import { ageText, localTime } from "./format.js";
import type { OpenShiftView } from "./store-reads.js";

/** What `timeclock status` reads: the daemon's published documents and the store's counts. */
export interface StatusInputs {
  now: Date;
  /** terminal.timeZone, for local times. */
  zone: string;
  daemon: { pid: number; startedAt: string; name: string; running: boolean } | null;
  reader: ReaderStatus | null;
  sync: SyncState | { phase: "no-credentials"; detail?: string } | null;
  clock: (ClockState & { checkedAt?: string }) | null;
  serverClock: ServerClockSkew | null;
  entries: Record<EntryState, number>;
  oldestUnbookedAt: Date | null;
  lastBookedAt: Date | null;
  openShifts: OpenShiftView[];
  openReviews: number;
}

export type Severity = "critical" | "warning" | "notice";

export interface Attention {
  severity: Severity;
  message: string;
}

/** An unbooked entry older than this means booking is stuck, not merely busy. */
export const BACKLOG_WARN_MS = 60 * 60_000;

const SEVERITY_ORDER: readonly Severity[] = ["critical", "warning", "notice"];

function seconds(ms: number): string {
  const sign = ms < 0 ? "-" : "+";
  return `${sign}${Math.round(Math.abs(ms) / 1000)} s`;
}

function daemonAttention(inputs: StatusInputs): Attention[] {
  const { daemon } = inputs;
  if (!daemon) {
    return [
      {
        severity: "critical",
        message: "the terminal has never run on this database; start it: systemctl start timeclock",
      },
    ];
  }
  if (!daemon.running) {
    return [
      {
        severity: "critical",
        message: `the terminal is not running (pid ${daemon.pid} is gone): taps are not read or booked. Start it (systemctl start timeclock) and see why it stopped: journalctl -u timeclock`,
      },
    ];
  }
  return [];
}

function liveAttention(inputs: StatusInputs): Attention[] {
  const found: Attention[] = [];
  const { reader, sync } = inputs;
  if (reader && (reader.state === "failed" || reader.state === "reconnecting")) {
    found.push({
      severity: "critical",
      message: `reader ${reader.device ?? reader.type} is ${reader.state}: badges are not read${reader.detail ? ` (${reader.detail})` : ""}`,
    });
  }
  if (sync?.phase === "no-credentials") {
    found.push({
      severity: "critical",
      message: `nothing is booked: no API password${sync.detail ? ` (${sync.detail})` : ""}`,
    });
  }
  if (sync?.phase === "paused-endpoint") {
    found.push({
      severity: "critical",
      message: `booking is paused until GoodTime answers as its API again (${sync.pauseReason ?? sync.lastError?.message ?? "no reason published"}); next try ${sync.pausedUntil ? localTime(new Date(sync.pausedUntil), inputs.zone) : "soon"}. Taps are stored and nothing is lost; check the network (a captive portal?) and server.baseUrl: timeclock server check`,
    });
  }
  if (sync?.phase === "paused-auth") {
    found.push({
      severity: "critical",
      message: `booking is paused: GoodTime refused the login${sync.lastError ? ` (${sync.lastError.message})` : ""}; next try ${sync.pausedUntil ? localTime(new Date(sync.pausedUntil), inputs.zone) : "soon"}. Check the password: timeclock server check`,
    });
  }
  return found;
}

/** Everything that needs a person, most urgent first. */
export function assessStatus(inputs: StatusInputs): Attention[] {
  const found = daemonAttention(inputs);
  if (inputs.daemon?.running) found.push(...liveAttention(inputs));
  const { entries, clock, serverClock, oldestUnbookedAt, openReviews, now, zone } = inputs;
  if (entries.refused > 0) {
    found.push({
      severity: "warning",
      message: `${entries.refused} ${entries.refused === 1 ? "entry was" : "entries were"} refused by GoodTime: see timeclock queue --state refused, then retry or discard`,
    });
  }
  if (clock && !clock.synchronized) {
    found.push({
      severity: "warning",
      message: `the system clock is not synchronised${clock.detail ? ` (${clock.detail})` : ""}; ${entries.held} ${entries.held === 1 ? "entry is" : "entries are"} held until it is`,
    });
  }
  if (serverClock && Math.abs(serverClock.skewMs) > MAX_SKEW_MS) {
    found.push({
      severity: "warning",
      message: `the terminal's clock differs from GoodTime's by ${seconds(serverClock.skewMs)} (more than 2 min); check NTP: timedatectl status`,
    });
  }
  if (openReviews > 0) {
    found.push({
      severity: "warning",
      message: `${openReviews} ${openReviews === 1 ? "shift waits" : "shifts wait"} for review: timeclock review`,
    });
  }
  if (oldestUnbookedAt && now.getTime() - oldestUnbookedAt.getTime() > BACKLOG_WARN_MS) {
    found.push({
      severity: "notice",
      message: `the oldest unbooked entry has waited ${ageText(now.getTime() - oldestUnbookedAt.getTime())}, since ${localTime(oldestUnbookedAt, zone)}`,
    });
  }
  // A paused sync already names its error above; a working one may still be failing on one entry.
  const working = inputs.sync?.phase === "idle" || inputs.sync?.phase === "booking";
  const lastError =
    working && inputs.sync && "lastError" in inputs.sync ? inputs.sync.lastError : null;
  if (inputs.daemon?.running && lastError) {
    found.push({
      severity: "notice",
      message: `last booking error at ${localTime(new Date(lastError.at), zone)}: ${lastError.message} [${lastError.code}]`,
    });
  }
  return found.sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}

function readerLine(reader: ReaderStatus, zone: string): string {
  const counters = Object.entries(reader.counters)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
  const lastRead = reader.lastReadAt
    ? `last read ${localTime(new Date(reader.lastReadAt), zone)}`
    : "no read yet";
  return `${reader.type}${reader.device ? ` ${reader.device}` : ""}: ${reader.state}; ${lastRead}${counters ? `; ${counters}` : ""}`;
}

function syncLine(sync: NonNullable<StatusInputs["sync"]>, zone: string): string {
  if (sync.phase === "no-credentials")
    return `no credentials${sync.detail ? `: ${sync.detail}` : ""}`;
  const parts: string[] = [sync.phase];
  if (sync.pausedUntil) parts.push(`paused until ${localTime(new Date(sync.pausedUntil), zone)}`);
  if (sync.lastError) parts.push(`last error ${sync.lastError.message} [${sync.lastError.code}]`);
  return parts.join("; ");
}

function clockLine(clock: NonNullable<StatusInputs["clock"]>): string {
  if (clock.synchronized && clock.source === "none") {
    return "trusted without proof: no time service can tell here (terminal.clockTrust auto)";
  }
  if (clock.synchronized && clock.source === "config")
    return 'trusted by terminal.clockTrust "system"';
  return clock.synchronized
    ? `synchronised (${clock.source})`
    : `NOT synchronised (${clock.source})${clock.detail ? `: ${clock.detail}` : ""}`;
}

/** The human summary: what needs attention first, then every part on one line. */
export function renderStatus(inputs: StatusInputs, attention: readonly Attention[]): string {
  const { now, zone, daemon, entries } = inputs;
  const lines: string[] = [];
  if (attention.length === 0) lines.push("OK: nothing needs attention");
  for (const item of attention) lines.push(`${item.severity.toUpperCase()}: ${item.message}`);
  lines.push("");
  const stale = daemon?.running ? "" : " (as last published)";
  const row = (label: string, text: string) => lines.push(`${label.padEnd(13)}${text}`);
  row(
    "terminal",
    daemon
      ? `${daemon.name}, pid ${daemon.pid} ${daemon.running ? "running" : "NOT running"}, started ${localTime(new Date(daemon.startedAt), zone)}`
      : "never started",
  );
  row("reader", inputs.reader ? `${readerLine(inputs.reader, zone)}${stale}` : "unknown");
  row("sync", inputs.sync ? `${syncLine(inputs.sync, zone)}${stale}` : "unknown");
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
      `${"".padEnd(13)}${who} since ${localTime(shift.start, zone)}${shift.startSynced ? "" : " (clock not synchronised)"}`,
    );
  }
  row("reviews", `${inputs.openReviews} open`);
  row("clock", inputs.clock ? clockLine(inputs.clock) : "unknown");
  row(
    "server clock",
    inputs.serverClock
      ? `${seconds(inputs.serverClock.skewMs)} against GoodTime${Math.abs(inputs.serverClock.skewMs) > MAX_SKEW_MS ? " (beyond 2 min)" : ""}, seen ${localTime(new Date(inputs.serverClock.observedAt), zone)}`
      : "not compared yet",
  );
  return `${lines.join("\n")}\n`;
}
