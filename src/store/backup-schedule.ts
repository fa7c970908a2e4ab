import { execFile } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { everyMs } from "../config/backup-schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { BACKUP_FILE_PATTERN, backupFileName } from "./backup.js";

/**
 * The daemon's rotating copies in backup.path. Each copy is written by a child process running
 * `timeclock backup --to FILE` on its own connection: a slow USB stick or a hung network share then
 * stalls that child, never the event loop that takes the taps, and a WAL reader never blocks the
 * daemon's writes.
 */

/** After a failed or impossible copy (medium not mounted), the next try comes this much later. */
const RETRY_MS = 10 * 60_000;
/** A copy that takes longer than this is stopped (a share that stopped answering). */
const COPY_TIMEOUT_MS = 10 * 60_000;
/** Timers are capped, so that a wall-clock step cannot postpone a copy for days. */
const MAX_SLEEP_MS = 60 * 60_000;

export interface BackupStatus {
  path: string;
  every: string;
  lastAt: string | null;
  lastFile: string | null;
  nextAt: string | null;
  /** Why the last try wrote nothing, or what is wrong with where it wrote. */
  warning: string | null;
}

export interface BackupScheduleDeps {
  config: { path: string | null; every: string; keep: number };
  dataDir: string;
  configPath: string;
  /** The timeclock CLI script (process.argv[1] of the daemon). */
  cliPath: string;
  clock: Clock;
  logger: Logger;
  onStatus: (status: BackupStatus) => void;
}

export interface BackupSchedule {
  stop(): void;
}

function stampOf(name: string): number | undefined {
  const match = BACKUP_FILE_PATTERN.exec(name);
  if (!match?.[1] || !match[2]) return undefined;
  const [d, t] = [match[1], match[2]];
  return Date.parse(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`,
  );
}

/** The copies in `dir`, oldest first. */
export function listBackups(dir: string): { name: string; at: number }[] {
  return readdirSync(dir)
    .map((name) => ({ name, at: stampOf(name) }))
    .filter((entry): entry is { name: string; at: number } => entry.at !== undefined)
    .sort((a, b) => a.at - b.at);
}

export function scheduleBackups(deps: BackupScheduleDeps): BackupSchedule {
  const { config, clock, logger } = deps;
  const dir = config.path;
  if (dir === null) return { stop() {} };
  const interval = everyMs(config.every) ?? 6 * 3_600_000;
  const log = logger.child({ part: "backup" });
  const status: BackupStatus = {
    path: dir,
    every: config.every,
    lastAt: null,
    lastFile: null,
    nextAt: null,
    warning: null,
  };
  let timer: NodeJS.Timeout | undefined;
  let child: ReturnType<typeof execFile> | undefined;
  let stopped = false;

  const plan = (at: number) => {
    status.nextAt = new Date(at).toISOString();
    deps.onStatus({ ...status });
    clearTimeout(timer);
    timer = setTimeout(tick, Math.min(Math.max(0, at - clock.now().getTime()), MAX_SLEEP_MS));
    timer.unref();
  };
  const tick = () => {
    if (stopped) return;
    if (status.nextAt && Date.parse(status.nextAt) > clock.now().getTime()) {
      plan(Date.parse(status.nextAt));
      return;
    }
    copy();
  };
  const warn = (warning: string) => {
    status.warning = warning;
    log.warn({ path: dir }, warning);
    plan(clock.now().getTime() + Math.min(RETRY_MS, interval));
  };
  const rotate = () => {
    const copies = listBackups(dir);
    for (const old of copies.slice(0, Math.max(0, copies.length - config.keep))) {
      rmSync(join(dir, old.name), { force: true });
    }
    // Left by a copy that was cut short (a stop, a timeout); none is being written now.
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".db.partial"))) {
      rmSync(join(dir, name), { force: true });
    }
  };
  const copy = () => {
    let onOtherDevice: boolean;
    try {
      if (!statSync(dir).isDirectory()) return warn(`backup.path ${dir} is not a directory`);
      onOtherDevice = statSync(dir).dev !== statSync(deps.dataDir).dev;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return warn(
        `backup.path ${dir} cannot be used (${code}): is the USB stick or share mounted? No copy was written; the terminal works on`,
      );
    }
    const name = backupFileName(clock.now());
    const file = join(dir, name);
    child = execFile(
      process.execPath,
      [deps.cliPath, "--config", deps.configPath, "backup", "--to", file],
      { timeout: COPY_TIMEOUT_MS },
      (error, _stdout, stderr) => {
        child = undefined;
        if (stopped) return;
        if (error) return warn(`the copy to ${file} failed: ${stderr.trim() || error.message}`);
        status.lastAt = clock.now().toISOString();
        status.lastFile = name;
        status.warning = onOtherDevice
          ? null
          : `backup.path ${dir} is on the same device as the journal: its copies do not survive the SD card (is the medium mounted?)`;
        try {
          rotate();
        } catch (rotation) {
          log.warn({ err: rotation }, "could not delete old copies");
        }
        log.info({ file, warning: status.warning ?? undefined }, "backup written");
        plan(clock.now().getTime() + interval);
      },
    );
  };

  let newest: number | undefined;
  try {
    newest = listBackups(dir).at(-1)?.at;
  } catch {
    newest = undefined;
  }
  plan(newest === undefined ? clock.now().getTime() : newest + interval);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      child?.kill("SIGTERM");
    },
  };
}
