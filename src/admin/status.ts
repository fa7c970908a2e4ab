import type { ReaderStatus } from "../readers/reader.js";
import type { SiteStatus } from "../site/link.js";
import { AdminMarks } from "../store/admin-marks.js";
import type { BackupStatus } from "../store/backup-schedule.js";
import { BadgeRepository, type UnknownBadge } from "../store/badges.js";
import { type EntryState, Outbox } from "../store/outbox.js";
import { type OpenShiftView, openShifts } from "../store/reports.js";
import { ReviewList } from "../store/reviews.js";
import { MAX_SKEW_MS, type ServerClockSkew } from "../terminal/server-clock.js";
import {
  type ClockDocument,
  type SyncDocument,
  type TerminalDocument,
  terminalStatus,
} from "../terminal/status-documents.js";
import { badgeText } from "./badge-rules.js";
import type { AdminDeps } from "./deps.js";
import { ageText, localTime } from "./format.js";

/** What `timeclock status` reads: the daemon's published documents and the store's counts. */
export interface StatusInputs {
  now: Date;
  /** terminal.timeZone, for local times. */
  zone: string;
  daemon: (TerminalDocument & { running: boolean }) | null;
  reader: ReaderStatus | null;
  sync: SyncDocument | null;
  clock: ClockDocument | null;
  serverClock: ServerClockSkew | null;
  entries: Record<EntryState, number>;
  oldestUnbookedAt: Date | null;
  lastBookedAt: Date | null;
  openShifts: OpenShiftView[];
  openReviews: number;
  /** Unknown badges tapped since an admin last listed them (`badges unknown`), newest first. */
  unknownBadges: (UnknownBadge & { text: string })[];
  /** When an admin last listed the unknown badges; null when never. */
  unknownSeenAt: Date | null;
  /** Rotating copies in backup.path, as the daemon published them; null when off or not yet run. */
  backup: BackupStatus | null;
  /** Site mode: this door's line to the site database as the daemon published it; null when alone. */
  site: SiteStatus | null;
}

/** Whether the daemon that published `terminal` still runs; the front end knows how to tell. */
export type RunningProbe = (terminal: TerminalDocument) => boolean;

/**
 * Gathers what status shows. A document published before the running daemon started is from an
 * earlier run and is not shown as this one's.
 */
export function readStatus(deps: AdminDeps, running: RunningProbe): StatusInputs {
  const { db, clock, config } = deps;
  const published = terminalStatus(db);
  const terminal = published.read("terminal")?.value ?? null;
  const alive = terminal !== null && running(terminal);
  const current = <Key extends "reader" | "sync" | "clock" | "server-clock" | "backup" | "site">(
    key: Key,
  ) => {
    const document = published.read(key);
    if (!document) return null;
    if (alive && terminal && document.updatedAt < terminal.startedAt) return null;
    return document.value;
  };
  const outbox = new Outbox(db);
  const unknownSeenAt = new AdminMarks(db).get("unknown-badges-seen");
  const unknown = new BadgeRepository(db, clock).unknown(unknownSeenAt ?? undefined);
  return {
    now: clock.now(),
    zone: config.terminal.timeZone,
    daemon: terminal ? { ...terminal, running: alive } : null,
    reader: current("reader"),
    sync: current("sync"),
    clock: current("clock"),
    serverClock: current("server-clock"),
    backup: current("backup"),
    site: config.site ? current("site") : null,
    entries: outbox.counts(),
    oldestUnbookedAt: outbox.oldestUnbookedCreatedAt(),
    lastBookedAt: outbox.lastBookedAt(),
    openShifts: openShifts(db),
    openReviews: new ReviewList(db).countOpen(),
    unknownBadges: unknown.map((badge) => ({ ...badge, text: badgeText(badge) })),
    unknownSeenAt,
  };
}

export type Severity = "critical" | "warning" | "notice";

/** The one word for monitoring: the most severe attention item, notices aside. */
export type StatusLevel = "ok" | "warning" | "critical";

/** What an attention item is about, so that a front end can word it in its own language. */
export type AttentionCode =
  | "never-started"
  | "not-running"
  | "reader-down"
  | "no-credentials"
  | "paused-auth"
  | "paused-endpoint"
  | "backup"
  | "site-cut-off"
  | "refused-entries"
  | "clock-unsynced"
  | "server-clock-skew"
  | "unknown-badges"
  | "reviews-waiting"
  | "old-backlog"
  | "last-error";

export interface Attention {
  severity: Severity;
  code: AttentionCode;
  /** In English, with the command that helps. */
  message: string;
}

/** An unbooked entry older than this means booking is stuck, not merely busy. */
export const BACKLOG_WARN_MS = 60 * 60_000;

const SEVERITY_ORDER: readonly Severity[] = ["critical", "warning", "notice"];

/** Unknown badges named in the attention line; the rest are counted. */
const UNKNOWN_NAMED = 3;

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
        code: "never-started",
        message: "the terminal has never run on this database; start it: systemctl start timeclock",
      },
    ];
  }
  if (!daemon.running) {
    return [
      {
        severity: "critical",
        code: "not-running",
        message: `the terminal is not running (no process holds its data directory; it last ran as pid ${daemon.pid}): taps are not read or booked. Start it (systemctl start timeclock) and see why it stopped: journalctl -u timeclock`,
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
      code: "reader-down",
      message: `reader ${reader.device ?? reader.type} is ${reader.state}: badges are not read${reader.detail ? ` (${reader.detail})` : ""}`,
    });
  }
  if (sync?.phase === "no-credentials") {
    found.push({
      severity: "critical",
      code: "no-credentials",
      message: `nothing is booked: no API password${sync.detail ? ` (${sync.detail})` : ""}`,
    });
  }
  if (sync?.phase === "paused-endpoint") {
    found.push({
      severity: "critical",
      code: "paused-endpoint",
      message: `booking is paused until GoodTime answers as its API again (${sync.pauseReason ?? sync.lastError?.message ?? "no reason published"}); next try ${sync.pausedUntil ? localTime(new Date(sync.pausedUntil), inputs.zone) : "soon"}. Taps are stored and nothing is lost; check the network (a captive portal?) and server.baseUrl: timeclock server check`,
    });
  }
  if (sync?.phase === "paused-auth") {
    found.push({
      severity: "critical",
      code: "paused-auth",
      message: `booking is paused: GoodTime refused the login${sync.lastError ? ` (${sync.lastError.message})` : ""}; next try ${sync.pausedUntil ? localTime(new Date(sync.pausedUntil), inputs.zone) : "soon"}. Check the password: timeclock server check`,
    });
  }
  if (inputs.site && !inputs.site.online) {
    const site = inputs.site;
    const since = site.lastContactAt
      ? `since ${localTime(new Date(site.lastContactAt), inputs.zone)}`
      : "since it started";
    found.push({
      severity: "warning",
      code: "site-cut-off",
      message: `this door cannot reach the site database ${since}${site.lastError ? ` (${site.lastError})` : ""}: it answers taps and pairs them with what it last knew (${site.provisional} so far), and merges them when the database answers again; shifts that then differ go to review. timeclock doctor checks the way to it`,
    });
  }
  if (inputs.backup?.warning) {
    found.push({
      severity: "warning",
      code: "backup",
      message: `backup: ${inputs.backup.warning}`,
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
      code: "refused-entries",
      message: `${entries.refused} ${entries.refused === 1 ? "entry was" : "entries were"} refused by GoodTime: see timeclock queue --state refused, then retry or discard`,
    });
  }
  if (clock && !clock.synchronized) {
    found.push({
      severity: "warning",
      code: "clock-unsynced",
      message: `the system clock is not synchronised${clock.detail ? ` (${clock.detail})` : ""}; ${entries.held} ${entries.held === 1 ? "entry is" : "entries are"} held until it is`,
    });
  }
  if (serverClock && Math.abs(serverClock.skewMs) > MAX_SKEW_MS) {
    found.push({
      severity: "warning",
      code: "server-clock-skew",
      message: `the terminal's clock differs from GoodTime's by ${seconds(serverClock.skewMs)} (more than 2 min); check NTP: timedatectl status`,
    });
  }
  const unknown = inputs.unknownBadges;
  if (unknown.length > 0) {
    const named = unknown
      .slice(0, UNKNOWN_NAMED)
      .map(
        (badge) =>
          `${badge.text} (${badge.taps}×, last ${localTime(new Date(badge.lastAt), zone)})`,
      )
      .join(", ");
    const more =
      unknown.length > UNKNOWN_NAMED ? ` and ${unknown.length - UNKNOWN_NAMED} more` : "";
    const since = inputs.unknownSeenAt ? ` since ${localTime(inputs.unknownSeenAt, zone)}` : "";
    found.push({
      severity: "warning",
      code: "unknown-badges",
      message: `${unknown.length} unknown ${unknown.length === 1 ? "badge was" : "badges were"} tapped${since} and refused: ${named}${more}. Map them (timeclock badges add); timeclock badges unknown lists them all and marks them seen`,
    });
  }
  if (openReviews > 0) {
    found.push({
      severity: "warning",
      code: "reviews-waiting",
      message: `${openReviews} ${openReviews === 1 ? "shift waits" : "shifts wait"} for review: timeclock review`,
    });
  }
  if (oldestUnbookedAt && now.getTime() - oldestUnbookedAt.getTime() > BACKLOG_WARN_MS) {
    found.push({
      severity: "notice",
      code: "old-backlog",
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
      code: "last-error",
      message: `last booking error at ${localTime(new Date(lastError.at), zone)}: ${lastError.message} [${lastError.code}]`,
    });
  }
  return found.sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}

export function statusLevel(attention: readonly Attention[]): StatusLevel {
  if (attention.some((item) => item.severity === "critical")) return "critical";
  if (attention.some((item) => item.severity === "warning")) return "warning";
  return "ok";
}
