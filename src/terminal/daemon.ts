import type { LoadedConfig } from "../config/load.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SecretScrubber } from "../core/secrets.js";
import type { Feedback } from "../feedback/feedback.js";
import { createClientFromConfig } from "../goodtime/from-config.js";
import { createFunctionKeys } from "../gpio/keys.js";
import { createReader } from "../readers/create-reader.js";
import type { Reader, ReaderStatus } from "../readers/reader.js";
import { type Db, openDatabase } from "../store/database.js";
import { Outbox } from "../store/outbox.js";
import { reanchorHeldEntries } from "../store/reanchor.js";
import { RuntimeStatus } from "../store/runtime-status.js";
import { type SyncState, SyncWorker } from "../sync/sync-worker.js";
import {
  type ClockProbe,
  type ClockState,
  createAutoClockProbe,
  createTrustedClockProbe,
} from "../system/clock-state.js";
import type { SystemdNotifier } from "../system/sd-notify.js";
import { intentForKey } from "./keys.js";
import { ServerClockCheck } from "./server-clock.js";
import { Terminal } from "./terminal.js";

export interface DaemonDeps {
  clock: Clock;
  logger: Logger;
  clockProbe: ClockProbe;
  notifier: SystemdNotifier;
  feedback: Feedback;
  /** For the stdin reader. */
  stdin?: NodeJS.ReadableStream;
  /** Shared with the logger: the client adds each token, so log lines hide it too. */
  secrets?: SecretScrubber;
}

export interface Daemon {
  readonly terminal: Terminal;
  readonly reader: Reader;
  readonly sync: SyncWorker | null;
  readonly db: Db;
  stop(): Promise<void>;
}

const CLOCK_POLL_MS = 10_000;
const READER_STATUS_MS = 5_000;
const SYNC_STATUS_MS = 2_000;

function readerSource(loaded: LoadedConfig): string {
  const reader = loaded.config.reader;
  return "path" in reader ? `${reader.type}:${reader.path}` : reader.type;
}

/**
 * Assembles and starts the terminal: database, clock trust, sync, terminal core, reader, systemd
 * readiness and watchdog. Parts stop in reverse order, each on its own, so one failing part cannot
 * keep the database from closing.
 */
export async function startDaemon(loaded: LoadedConfig, deps: DaemonDeps): Promise<Daemon> {
  const { config } = loaded;
  const { clock, logger, clockProbe, notifier, feedback } = deps;
  const db = openDatabase(config.terminal.dataDir, {
    logger: logger.child({ part: "store" }),
    check: true,
  });
  const status = new RuntimeStatus(db);
  const publish = (key: string, value: unknown) => {
    try {
      status.write(key, value, clock.now());
    } catch (error) {
      logger.warn({ err: error, key }, "could not publish status");
    }
  };
  publish("terminal", {
    pid: process.pid,
    startedAt: clock.now().toISOString(),
    name: config.terminal.name,
  });

  const probe =
    config.terminal.clockTrust === "system"
      ? createTrustedClockProbe(clockProbe)
      : config.terminal.clockTrust === "auto"
        ? createAutoClockProbe(clockProbe)
        : clockProbe;
  let clockState: ClockState = await probe.read();
  const bootId = probe.bootId();
  const syncLog = logger.child({ part: "sync" });
  const serverClock = new ServerClockCheck(syncLog, (skew) => publish("server-clock", skew));

  // A change of phase or error is published at once; a booking only moves lastBookedAt, which may
  // wait a moment, so that draining a backlog does not add a status commit per entry.
  let publishedSyncKey = "";
  let syncTimer: NodeJS.Timeout | undefined;
  const publishSync = (state: SyncState) => {
    const key = JSON.stringify([state.phase, state.lastError, state.pausedUntil]);
    if (key !== publishedSyncKey) {
      publishedSyncKey = key;
      clearTimeout(syncTimer);
      syncTimer = undefined;
      publish("sync", state);
    } else if (!syncTimer) {
      syncTimer = setTimeout(() => {
        syncTimer = undefined;
        if (sync) publish("sync", sync.state());
      }, SYNC_STATUS_MS);
      syncTimer.unref();
    }
  };
  let sync: SyncWorker | null = null;
  if (loaded.apiPassword === undefined) {
    syncLog.error(
      { problem: loaded.passwordProblem },
      "no API password: taps are stored but nothing is booked",
    );
    publish("sync", { phase: "no-credentials", detail: loaded.passwordProblem });
  } else {
    const client = createClientFromConfig(loaded, logger.child({ part: "goodtime" }), {
      onServerDate: (server, local) => serverClock.observe(server, local),
      ...(deps.secrets ? { secrets: deps.secrets } : {}),
    });
    sync = new SyncWorker({
      outbox: new Outbox(db),
      client,
      clock,
      logger: syncLog,
      settings: {
        concurrency: config.sync.concurrency,
        baseMs: config.sync.retryBaseMs,
        maxMs: config.sync.retryMaxMs,
        authRetryMs: Math.max(config.sync.retryBaseMs, 30_000),
        sendComment: config.server.apiVersion === "v2.1",
      },
      onState: (state) => {
        publishSync(state);
        terminal.refreshBacklog();
      },
    });
  }

  const terminal = new Terminal({
    db,
    config,
    clock,
    logger,
    feedback,
    onEntryQueued: () => sync?.wake(),
    clockReading: () => ({ synced: clockState.synchronized, bootId }),
    source: readerSource(loaded),
  });

  const keys = await createFunctionKeys(config.feedback, { logger }, (name) => {
    const intent = intentForKey(name, config.feedback.keys);
    logger.info(
      { part: "keys", key: name, intent },
      "function key pressed; it sets the meaning of the next tap",
    );
    terminal.setIntent(intent, config.feedback.keyWindowSeconds * 1000);
  });

  const clockLog = logger.child({ part: "clock" });
  const applyClockState = (next: ClockState) => {
    const becameSynced = next.synchronized && !clockState.synchronized;
    clockState = next;
    publish("clock", { ...next, checkedAt: clock.now().toISOString() });
    if (!next.synchronized) return;
    const result = reanchorHeldEntries(
      db,
      bootId,
      clock.now().getTime() - clock.monotonicMs(),
      clock.now(),
    );
    if (becameSynced) clockLog.info("system clock synchronised");
    if (result.released + result.reviewed > 0) {
      clockLog.info(result, "entries held for the clock were re-anchored or sent to review");
      sync?.wake();
    }
  };
  if (!clockState.synchronized) {
    clockLog.warn(
      { detail: clockState.detail },
      "system clock not synchronised: taps are stored and held until it is",
    );
  }
  applyClockState(clockState);
  const clockTimer = setInterval(() => {
    if (clockState.synchronized) return;
    probe
      .read()
      .then(applyClockState, (error) => clockLog.warn({ err: error }, "clock probe failed"));
  }, CLOCK_POLL_MS);
  clockTimer.unref();

  const readerLog = logger.child({ part: "reader" });
  let readerFault = false;
  const reader = createReader(config.reader, {
    logger: readerLog,
    clock,
    stdin: deps.stdin,
    events: {
      onBadge: (read) => terminal.handleRead(read),
      onStatus: (readerStatus: ReaderStatus) => {
        publish("reader", readerStatus);
        const fault = readerStatus.state === "reconnecting" || readerStatus.state === "failed";
        if (fault && !readerFault) feedback.signal("reader-fault");
        if (!fault && readerFault) feedback.clearReaderFault();
        readerFault = fault;
      },
    },
  });

  sync?.start();
  terminal.refreshBacklog();
  feedback.signal("self-test");
  await reader.start();
  // Counters change with every read; publishing them per tap would add a write to each tap, so
  // they go out on state changes (above) and every few seconds when they moved.
  let publishedReader = "";
  const publishReader = () => {
    const current = reader.status();
    const text = JSON.stringify(current);
    if (text === publishedReader) return;
    publishedReader = text;
    publish("reader", current);
  };
  publishReader();
  const readerTimer = setInterval(publishReader, READER_STATUS_MS);
  readerTimer.unref();

  let watchdogTimer: NodeJS.Timeout | undefined;
  if (notifier.watchdogIntervalMs !== undefined) {
    watchdogTimer = setInterval(() => {
      // Only a loop that still runs and a database that still answers earn the ping.
      try {
        db.prepare("SELECT 1").get();
        void notifier.watchdog();
      } catch (error) {
        logger.error({ err: error }, "database does not answer; withholding the watchdog ping");
      }
    }, notifier.watchdogIntervalMs);
  }
  await notifier.ready(
    `reader ${reader.status().state}, ${clockState.synchronized ? "clock synchronised" : "clock NOT synchronised"}`,
  );
  logger.info({ name: config.terminal.name, reader: readerSource(loaded) }, "terminal ready");

  const stop = async () => {
    await notifier.stopping();
    clearInterval(clockTimer);
    clearInterval(readerTimer);
    clearTimeout(syncTimer);
    if (watchdogTimer) clearInterval(watchdogTimer);
    const steps: [string, () => Promise<void> | void][] = [
      ["reader", () => reader.stop()],
      ["keys", () => keys.close()],
      ["sync", () => sync?.stop()],
      ["feedback", () => feedback.close()],
      [
        "database",
        () => {
          db.close();
        },
      ],
    ];
    for (const [part, step] of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ err: error, part }, "part did not stop cleanly");
      }
    }
    logger.info("terminal stopped");
  };
  return { terminal, reader, sync, db, stop };
}
