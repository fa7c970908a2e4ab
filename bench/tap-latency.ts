import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { pino } from "pino";
import { parseConfig } from "../src/config/load.js";
import { systemClock } from "../src/core/clock.js";
import { createLogger, silentLogger } from "../src/core/logger.js";
import type { FeedbackSignal } from "../src/feedback/feedback.js";
import type { SerialReaderConfig } from "../src/readers/config-schema.js";
import type { BadgeRead } from "../src/readers/reader.js";
import { SerialReader } from "../src/readers/serial-reader.js";
import { databasePath, openDatabase } from "../src/store/database.js";
import { WalCheckpoints } from "../src/store/wal-checkpoints.js";
import { Terminal } from "../src/terminal/terminal.js";
import { BareCommit } from "./bare-commit.js";
import { type BenchUser, daemonConfig, insertHistory, mapBadges } from "./fixtures.js";
import { writeBytes } from "./proc.js";
import { startPtyPair } from "./pty-pair.js";
import { rdm6300Frame } from "./rdm6300-frame.js";
import { elapsedMs, type Summary, summarize } from "./stats.js";

export interface TapLatencyOptions {
  root: string;
  users: readonly BenchUser[];
  taps: number;
  warmupTaps: number;
  historyTaps: number;
  random: () => number;
  /** Series of `taps` measured one after another on the same journal. */
  runs: number;
}

export interface TapLatencyResult {
  historyTaps: number;
  historyInsertSeconds: number;
  /** Which series of the same journal this is, from 1. */
  run: number;
  /** Frame written to the pty until feedback.signal was called: end to end. */
  latency: Summary;
  /** The parts of it: bytes through socat and the reader's parser, then the tap's transaction. */
  readAndParse: Summary;
  lookupAndCommit: Summary;
  /** After feedback, still on the event loop: the log line and the backlog count. */
  afterFeedback: Summary;
  bareCommit: Summary;
  /** End to end: latency p99 / bare commit p99. */
  p99OverBareP99: number;
  /** At the reader boundary (a decoded read until feedback): lookupAndCommit p99 / bare p99. */
  readerBoundaryP99OverBareP99: number;
  /** write_bytes of this process inside the taps' windows, per tap. */
  writeBytesPerTap: number;
  /**
   * All bytes the journal caused, per tap: the taps' windows, the checkpoints run meanwhile by the
   * daemon's policy and a last truncating checkpoint at the end of the series, so that every page
   * the taps wrote reached the database file once.
   */
  amortisedWriteBytesPerTap: number;
  /** User + system CPU of handleRead (lookup, pairing, the transaction, log line), per tap. */
  cpuMsPerTap: number;
  /**
   * Taps whose transaction also ran SQLite's automatic WAL checkpoint, told apart by the bytes
   * they wrote (over three times the median), and the latency of the others.
   */
  checkpointTaps: number;
  latencyWithoutCheckpoints: Summary;
  latencyOfCheckpoints: Summary | null;
  outcomes: Record<string, number>;
}

interface TapTiming {
  written: bigint;
  /** write_bytes of this process during the tap. */
  bytes?: number;
  read?: bigint;
  signalled?: bigint;
  done?: bigint;
  cpuMs?: number;
}

const TAP_TIMEOUT_MS = 5000;

/**
 * Taps through a socat pseudo-terminal into the real SerialReader and Terminal in this process,
 * on a journal opened by the store (WAL, synchronous=FULL) with the daemon's WAL checkpoints, and a
 * feedback that notes the moment it is told. One frame at a time: the next is written when the
 * previous tap is finished, after a bare durable commit on the same disk, so that taps and bare
 * commits are sampled alternately. `runs` series on the same journal, one result each.
 */
export async function measureTapLatency(options: TapLatencyOptions): Promise<TapLatencyResult[]> {
  const dir = mkdtempSync(join(options.root, "taps-"));
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
  const pty = await startPtyPair(dir);
  let reader: SerialReader | undefined;
  let host: number | undefined;
  let bare: BareCommit | undefined;
  const checkpoints = new WalCheckpoints({
    db,
    path: databasePath(dataDir),
    logger: silentLogger(),
    nowMs: () => systemClock.monotonicMs(),
  });
  try {
    mapBadges(db, systemClock, options.users);
    const historyStart = process.hrtime.bigint();
    if (options.historyTaps > 0) {
      insertHistory(db, options.users, options.historyTaps, new Date(), options.random);
    }
    db.pragma("wal_checkpoint(TRUNCATE)");
    const historyInsertSeconds = elapsedMs(historyStart, process.hrtime.bigint()) / 1000;
    bare = new BareCommit(dir);

    const config = parseConfig(
      daemonConfig({
        dataDir,
        serverUrl: "http://127.0.0.1:9/goodtime-rs",
        reader: { type: "serial", path: pty.devicePath },
        concurrency: 2,
      }),
      "benchmark config",
    );
    // The daemon logs JSON lines to journald; here they are serialised the same way and discarded.
    const logger = createLogger(
      { level: "info", redactBadges: false },
      pino.destination({ dest: "/dev/null", sync: true }),
    );
    let current: TapTiming | undefined;
    let finished: (() => void) | undefined;
    const outcomes: Record<string, number> = {};
    const terminal = new Terminal({
      db,
      config,
      clock: systemClock,
      logger,
      feedback: {
        signal(signal: FeedbackSignal) {
          if (current) current.signalled = process.hrtime.bigint();
          outcomes[signal] = (outcomes[signal] ?? 0) + 1;
        },
        setBacklog() {},
      },
      onEntryQueued: () => {},
      clockReading: () => ({ synced: true, bootId: "bench" }),
      source: `serial:${pty.devicePath}`,
    });
    reader = new SerialReader(config.reader as SerialReaderConfig, {
      logger: silentLogger(),
      clock: systemClock,
      events: {
        onBadge(read: BadgeRead) {
          if (current) current.read = process.hrtime.bigint();
          const cpu = process.cpuUsage();
          terminal.handleRead(read);
          checkpoints.noteTap();
          const used = process.cpuUsage(cpu);
          if (current) {
            current.done = process.hrtime.bigint();
            current.cpuMs = (used.user + used.system) / 1000;
          }
          finished?.();
        },
      },
    });
    await reader.start();
    if (reader.status().state !== "open") {
      throw new Error(`the reader on ${pty.devicePath} did not open: ${reader.status().detail}`);
    }
    host = openSync(pty.hostPath, "w");
    checkpoints.start();

    const oneTap = async (i: number): Promise<TapTiming> => {
      const user = options.users[i % options.users.length] as BenchUser;
      const tapDone = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `tap ${i} (badge ${user.badgeId}) got no feedback within ${TAP_TIMEOUT_MS} ms`,
              ),
            ),
          TAP_TIMEOUT_MS,
        );
        finished = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      const bytesBefore = writeBytes();
      const timing: TapTiming = { written: process.hrtime.bigint() };
      current = timing;
      writeSync(host as number, rdm6300Frame(user.badgeId));
      await tapDone;
      timing.bytes = writeBytes() - bytesBefore;
      current = undefined;
      return timing;
    };

    const results: TapLatencyResult[] = [];
    let tapIndex = 0;
    for (let run = 1; run <= options.runs; run++) {
      for (let i = 0; i < options.warmupTaps; i++) await oneTap(tapIndex++);
      for (const key of Object.keys(outcomes)) delete outcomes[key];
      const timings: TapTiming[] = [];
      const bareSamples: number[] = [];
      let bareBytes = 0;
      const seriesBytesBefore = writeBytes();
      for (let i = 0; i < options.taps; i++) {
        timings.push(await oneTap(tapIndex++));
        await nextTurn();
        // Outside the tap's window and its write_bytes, but under the same load as the tap.
        const bareBefore = writeBytes();
        bareSamples.push(bare.timeOne());
        bareBytes += writeBytes() - bareBefore;
      }
      db.pragma("wal_checkpoint(TRUNCATE)");
      const seriesBytes = writeBytes() - seriesBytesBefore - bareBytes;
      results.push({
        ...summarizeSeries(timings, bareSamples),
        historyTaps: options.historyTaps,
        historyInsertSeconds,
        run,
        amortisedWriteBytesPerTap: seriesBytes / timings.length,
        outcomes: { ...outcomes },
      });
    }
    return results;
  } finally {
    checkpoints.stop();
    if (host !== undefined) closeSync(host);
    bare?.close();
    await reader?.stop();
    db.close();
    await pty.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarizeSeries(
  timings: readonly TapTiming[],
  bareSamples: readonly number[],
): Omit<
  TapLatencyResult,
  "historyTaps" | "historyInsertSeconds" | "run" | "amortisedWriteBytesPerTap" | "outcomes"
> {
  const part = (
    from: (t: TapTiming) => bigint | undefined,
    to: (t: TapTiming) => bigint | undefined,
  ) => summarize(timings.map((t) => elapsedMs(from(t) ?? 0n, to(t) ?? 0n)));
  const latency = part(
    (t) => t.written,
    (t) => t.signalled,
  );
  const lookupAndCommit = part(
    (t) => t.read,
    (t) => t.signalled,
  );
  const bareCommit = summarize(bareSamples);
  const medianBytes = summarize(timings.map((t) => t.bytes ?? 0)).p50;
  const checkpointed = (t: TapTiming) => (t.bytes ?? 0) > 3 * medianBytes;
  const latencyOf = (subset: TapTiming[]) =>
    subset.length === 0
      ? null
      : summarize(subset.map((t) => elapsedMs(t.written, t.signalled ?? 0n)));
  return {
    latency,
    readAndParse: part(
      (t) => t.written,
      (t) => t.read,
    ),
    lookupAndCommit,
    afterFeedback: part(
      (t) => t.signalled,
      (t) => t.done,
    ),
    bareCommit,
    p99OverBareP99: latency.p99 / bareCommit.p99,
    readerBoundaryP99OverBareP99: lookupAndCommit.p99 / bareCommit.p99,
    writeBytesPerTap: timings.reduce((sum, t) => sum + (t.bytes ?? 0), 0) / timings.length,
    cpuMsPerTap: timings.reduce((sum, t) => sum + (t.cpuMs ?? 0), 0) / timings.length,
    checkpointTaps: timings.filter(checkpointed).length,
    latencyWithoutCheckpoints: latencyOf(timings.filter((t) => !checkpointed(t))) ?? latency,
    latencyOfCheckpoints: latencyOf(timings.filter(checkpointed)),
  };
}
