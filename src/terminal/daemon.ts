import { setTimeout as sleep } from "node:timers/promises";
import type { LoadedConfig } from "../config/load.js";
import { type ConsoleSupervisor, superviseConsole } from "../console/supervisor.js";
import { controlSocketPath } from "../control/protocol.js";
import { type ControlServer, startControlServer } from "../control/server.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { SecretScrubber } from "../core/secrets.js";
import type { Feedback } from "../feedback/feedback.js";
import { createClientFromConfig } from "../goodtime/from-config.js";
import { createFunctionKeys } from "../gpio/keys.js";
import { createReader } from "../readers/create-reader.js";
import type { Reader } from "../readers/reader.js";
import { provideNodeNavigator } from "../site/node-navigator.js";
import { scheduleBackups } from "../store/backup-schedule.js";
import {
  assertAnswers,
  type Db,
  databasePath,
  openDatabase,
  useDaemonBusyTimeout,
} from "../store/database.js";
import type { StoreError } from "../store/faults.js";
import { Outbox } from "../store/outbox.js";
import { WalCheckpoints } from "../store/wal-checkpoints.js";
import { type BookingQueue, sqliteBookingQueue } from "../sync/booking-queue.js";
import { SyncWorker } from "../sync/sync-worker.js";
import type { ClockProbe } from "../system/clock-state.js";
import type { SystemdNotifier } from "../system/sd-notify.js";
import { ClockTrust } from "./clock-trust.js";
import { controlHandler } from "./control-handler.js";
import { DoorHooks } from "./door-hooks.js";
import { Enrolment } from "./enrolment.js";
import { TerminalEvents } from "./events.js";
import type { PinDesk } from "./pin-desk.js";
import { ReaderHealth } from "./reader-health.js";
import { ServerClockCheck } from "./server-clock.js";
import { StatusPublisher, type TerminalDocument } from "./status-documents.js";
import { guardStore, STORE_CHECK_MS } from "./store-guard.js";
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
  /** The environment the console process gets (it reads the API password from it). */
  env?: NodeJS.ProcessEnv;
  /** Makes the reader; `timeclock run` passes EarlyReader.adopt, the reader it opened first. */
  createReader?: typeof createReader;
  /** The console process's entry module; a benchmark brings one with a slow display bus. */
  consoleEntry?: string;
}

export interface Daemon {
  readonly terminal: Terminal;
  readonly reader: Reader;
  readonly sync: SyncWorker | null;
  readonly db: Db;
  /** Resolves when the reader's source ended for good (standard input closed), with why. */
  readonly ended: Promise<string>;
  /** Settles when the database file was deleted or replaced: the daemon must stop. */
  readonly storeLost: Promise<StoreError>;
  stop(): Promise<void>;
}

function readerSource(loaded: LoadedConfig): string {
  const reader = loaded.config.reader;
  return "path" in reader ? `${reader.type}:${reader.path}` : reader.type;
}

/** The sync, or null with the reason published when there is no API password to book with. */
function createSync(
  loaded: LoadedConfig,
  deps: DaemonDeps,
  queue: BookingQueue,
  status: StatusPublisher,
  onState: () => void,
): SyncWorker | null {
  const { config } = loaded;
  const syncLog = deps.logger.child({ part: "sync" });
  if (loaded.apiPassword === undefined) {
    syncLog.error(
      { problem: loaded.passwordProblem },
      "no API password: taps are stored but nothing is booked",
    );
    status.publishSync({
      phase: "no-credentials",
      ...(loaded.passwordProblem ? { detail: loaded.passwordProblem } : {}),
    });
    return null;
  }
  const serverClock = new ServerClockCheck(syncLog, (skew) => status.publish("server-clock", skew));
  const client = createClientFromConfig(loaded, deps.logger.child({ part: "goodtime" }), {
    onServerDate: (server, local) => serverClock.observe(server, local),
    ...(deps.secrets ? { secrets: deps.secrets } : {}),
  });
  const sync = new SyncWorker({
    queue,
    client,
    clock: deps.clock,
    logger: syncLog,
    settings: {
      concurrency: config.sync.concurrency,
      baseMs: config.sync.retryBaseMs,
      maxMs: config.sync.retryMaxMs,
      authRetryMs: Math.max(config.sync.retryBaseMs, 30_000),
      sendComment: config.server.apiVersion === "v2.1",
    },
    onState: (state) => {
      status.publishSync(state);
      onState();
    },
  });
  // Published before the first booking, so that `status` shows the phase from the first second.
  status.publishSync(sync.state());
  return sync;
}

/**
 * Longest wait at start for another process's write lock on the journal (a large badge import, a
 * sqlite3 shell in a transaction). Inside the unit's TimeoutStartSec (120 s) and before the
 * watchdog counts, so the daemon starts once the other process lets go instead of failing and being
 * restarted over and over meanwhile.
 */
export const START_LOCK_WAIT_MS = 60_000;

/**
 * SQLite's wait for the lock freezes the event loop, so the daemon waits in short turns with the
 * loop running in between: its log gets written and the reader's frames are read into their queue.
 */
const START_LOCK_TURN_MS = 1_000;

async function openJournal(dataDir: string, logger: Logger, clock: Clock): Promise<Db> {
  const options = { logger: logger.child({ part: "store" }), check: true };
  const giveUpAt = clock.monotonicMs() + START_LOCK_WAIT_MS;
  let waiting = false;
  for (;;) {
    try {
      return openDatabase(
        dataDir,
        waiting ? { ...options, busyTimeoutMs: START_LOCK_TURN_MS } : options,
      );
    } catch (error) {
      if ((error as Partial<StoreError>).fault !== "busy" || clock.monotonicMs() >= giveUpAt) {
        throw error;
      }
      if (!waiting) {
        logger.warn(
          { waitSeconds: START_LOCK_WAIT_MS / 1000 },
          "another process holds the journal's write lock (an admin command, a sqlite3 shell); the terminal waits for it before it starts",
        );
        waiting = true;
      }
      await sleep(START_LOCK_TURN_MS / 4);
    }
  }
}

/**
 * Assembles and starts the terminal: database, status publishing, clock trust, sync, terminal
 * core, control channel, reader health, systemd readiness and watchdog. Parts stop in reverse
 * order, each on its own, so one failing part cannot keep the database from closing.
 */
export async function startDaemon(loaded: LoadedConfig, deps: DaemonDeps): Promise<Daemon> {
  const { config } = loaded;
  const { clock, logger, notifier, feedback } = deps;
  const db = await openJournal(config.terminal.dataDir, logger, clock);
  useDaemonBusyTimeout(db);
  const checkpoints = new WalCheckpoints({
    db,
    path: databasePath(config.terminal.dataDir),
    logger,
    nowMs: () => clock.monotonicMs(),
  });
  const guard = guardStore({
    path: databasePath(config.terminal.dataDir),
    logger,
    feedback,
    ownTimerMs: notifier.watchdogIntervalMs === undefined ? STORE_CHECK_MS : undefined,
  });
  const events = new TerminalEvents((error) =>
    logger.warn({ err: error }, "a watcher of the terminal's events failed"),
  );
  const status = new StatusPublisher(db, clock, logger, (key) =>
    events.emit({ type: "status", key }),
  );
  const identity: TerminalDocument = {
    pid: process.pid,
    startedAt: clock.now().toISOString(),
    name: config.terminal.name,
  };
  status.publish("terminal", identity);

  let terminal: Terminal | undefined;
  let sync: SyncWorker | null = null;
  // Site mode's code (and PostgreSQL's client) is loaded only for a site door: a lone terminal
  // starts without it.
  if (config.site) provideNodeNavigator();
  const site = config.site
    ? (await import("../site/assemble.js")).siteParts(loaded, config.site, {
        db,
        clock,
        logger,
        status,
        onEntries: () => sync?.wake(),
      })
    : null;
  const queue = site?.queue ?? sqliteBookingQueue(new Outbox(db));
  sync = createSync(loaded, deps, queue, status, () => terminal?.refreshBacklog());
  const clockTrust = await ClockTrust.start(config.terminal.clockTrust, {
    db,
    clock,
    logger,
    probe: deps.clockProbe,
    status,
    onReleased: () => sync?.wake(),
  });
  terminal = new Terminal({
    db,
    config,
    clock,
    logger,
    feedback,
    onEntryQueued: () => sync?.wake(),
    clockReading: () => ({ synced: clockTrust.synchronized, bootId: clockTrust.bootId }),
    source: readerSource(loaded),
    beforeTap: guard.assertIntact,
    ...(site ? { recorder: site.recorder, backlog: site.backlog } : {}),
  });
  const core = terminal;

  const door = new DoorHooks({ core, events, clock, keys: config.feedback, logger });
  const keys = await createFunctionKeys(config.feedback, { logger }, (name) =>
    door.press(name, "key"),
  );

  const enrolment = new Enrolment(clock, (captured) => {
    feedback.signal("enrolled");
    logger.info(
      { part: "control", armId: captured.armId, badge: captured.badge?.badgeId },
      "badge captured for enrolment; it was not journalled",
    );
    events.emit({ type: "enrolment", enrolment: captured });
  });
  let pinDesk: Promise<PinDesk> | undefined;
  const control: ControlServer | null = await startControlServer(
    controlSocketPath(config.terminal.dataDir),
    controlHandler({
      identity,
      logger,
      wakeSync: () => sync?.wake(),
      refreshBacklog: () => core.refreshBacklog(),
      enrolment,
      door,
      pins: () => {
        pinDesk ??= import("./pin-desk.js").then(
          ({ PinDesk }) => new PinDesk({ db, clock, logger, display: config.display, door }),
        );
        return pinDesk;
      },
      onEnrolment: (view) => events.emit({ type: "enrolment", enrolment: view }),
    }),
    logger.child({ part: "control" }),
  );

  const readerHealth = new ReaderHealth(feedback, status);
  let endOfInput: (detail: string) => void = () => {};
  const ended = new Promise<string>((resolve) => {
    endOfInput = resolve;
  });
  const reader = (deps.createReader ?? createReader)(config.reader, {
    logger: logger.child({ part: "reader" }),
    clock,
    stdin: deps.stdin,
    events: {
      onBadge: (read) => {
        if (enrolment.capture(read)) return;
        void door.read(read).then(() => checkpoints.noteTap());
      },
      onStatus: (readerStatus) => readerHealth.onStatus(readerStatus),
      onEnd: (detail) => endOfInput(detail),
    },
  });

  const backups = scheduleBackups({
    config: config.backup,
    dataDir: config.terminal.dataDir,
    configPath: loaded.path,
    cliPath: process.argv[1] ?? "",
    clock,
    logger,
    onStatus: (backup) => status.publish("backup", backup),
  });
  await site?.link.start();
  sync?.start();
  checkpoints.start();
  core.refreshBacklog();
  feedback.signal("self-test");
  await reader.start();
  readerHealth.watch(reader);

  let watchdogTimer: NodeJS.Timeout | undefined;
  if (notifier.watchdogIntervalMs !== undefined) {
    watchdogTimer = setInterval(() => {
      // Only a loop that still runs and a database that still answers earn the ping.
      try {
        if (!guard.check()) return;
        assertAnswers(db);
        void notifier.watchdog();
      } catch (error) {
        logger.error({ err: error }, "database does not answer; withholding the watchdog ping");
      }
    }, notifier.watchdogIntervalMs);
  }
  // The console process also serves the screen at the door.
  const consoleHost: ConsoleSupervisor | null =
    config.console.enabled || config.display.type !== "none"
      ? superviseConsole({
          configPath: loaded.path,
          env: deps.env ?? process.env,
          logger,
          events,
          ...(deps.consoleEntry ? { entry: deps.consoleEntry } : {}),
        })
      : null;

  await notifier.ready(
    `reader ${reader.status().state}, ${clockTrust.synchronized ? "clock synchronised" : "clock NOT synchronised"}`,
  );
  logger.info({ name: config.terminal.name, reader: readerSource(loaded) }, "terminal ready");

  const stop = async () => {
    await notifier.stopping();
    clearInterval(watchdogTimer);
    guard.stop();
    checkpoints.stop();
    backups.stop();
    const steps: [string, () => Promise<void> | void][] = [
      ["reader", () => reader.stop()],
      ["console", () => consoleHost?.stop()],
      ["reader health", () => readerHealth.stop()],
      ["control", () => control?.close()],
      ["keys", () => keys.close()],
      ["clock trust", () => clockTrust.stop()],
      ["sync", () => sync?.stop()],
      ["site", () => site?.link.stop()],
      ["status", () => status.close()],
      ["feedback", () => feedback.close()],
      ["database", () => db.close()],
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
  return { terminal: core, reader, sync, db, ended, storeLost: guard.lost, stop };
}
