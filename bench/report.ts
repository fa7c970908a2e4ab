import type { Row } from "../src/cli/output.js";
import type { BadgeImportResult } from "./badge-import.js";
import type { DrainResult } from "./drain.js";
import type { ModuleStep } from "./module-cost.js";
import type { StartupResult } from "./startup.js";
import { median, spread } from "./stats.js";
import type { TapLatencyResult } from "./tap-latency.js";
import type { WalPages } from "./wal-pages.js";

/** The tables `npm run bench` prints and the targets of issue 15 with the spread of the runs. */

const MiB = 1024 * 1024;

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface Target {
  figure: string;
  /** The median of the runs (or the one run). */
  value: number;
  /** Smallest and largest of the runs, "a to b". */
  runs: string;
  unit: string;
  target: string;
  met: boolean;
}

function target(
  figure: string,
  values: readonly number[],
  unit: string,
  goal: { text: string; met: (value: number) => boolean },
  digits = 2,
): Target {
  if (values.length === 0) {
    // A focused run (bench --drain-only, --taps-only) measures some figures only.
    return {
      figure,
      value: Number.NaN,
      runs: "(not measured)",
      unit,
      target: goal.text,
      met: false,
    };
  }
  const { min, max } = spread(values);
  const value = median(values);
  return {
    figure,
    value: round(value, digits),
    runs: values.length > 1 ? `${round(min, digits)} to ${round(max, digits)}` : "(one run)",
    unit,
    target: goal.text,
    met: goal.met(value),
  };
}

export function targetRows(targets: readonly Target[]): Row[] {
  return targets.map((t) => ({
    figure: t.figure,
    "median of runs": `${t.value}${t.unit ? ` ${t.unit}` : ""}`,
    "runs (min to max)": t.runs,
    target: t.target,
    met: t.met ? "yes" : "NO",
  }));
}

export interface Measured {
  startup: StartupResult[];
  taps: TapLatencyResult[];
  idleRssBytes: number[];
  drains: DrainResult[];
  historyTaps: number;
}

export function issueTargets(m: Measured): Target[] {
  const empty = m.taps.filter((t) => t.historyTaps === 0);
  const full = m.taps.filter((t) => t.historyTaps > 0);
  const targets: Target[] = [
    target(
      "exec to ready (p50 of each series)",
      m.startup.map((s) => s.toReady.p50),
      "ms",
      { text: "< 400", met: (v) => v < 400 },
      0,
    ),
    target(
      "exec to reader open (p50 of each series)",
      m.startup.map((s) => s.toReaderOpen.p50),
      "ms",
      { text: "(measured)", met: () => true },
      0,
    ),
    target(
      "daemon RSS idle, 2 s after ready",
      m.idleRssBytes.map((b) => b / MiB),
      "MiB",
      { text: "< 70", met: (v) => v < 70 },
      1,
    ),
    target(
      "daemon RSS peak while draining (VmHWM)",
      m.drains.map((d) => d.peakRssBytes / MiB),
      "MiB",
      { text: "< 96", met: (v) => v < 96 },
      1,
    ),
    target(
      "tap p99 / bare commit p99 at the reader boundary (empty)",
      empty.map((t) => t.readerBoundaryP99OverBareP99),
      "x",
      { text: "<= 2", met: (v) => v <= 2 },
    ),
    target(
      "tap p99 / bare commit p99 end to end through the pty (empty)",
      empty.map((t) => t.p99OverBareP99),
      "x",
      { text: "(measured)", met: () => true },
    ),
    target(
      `tap p99 with ${m.historyTaps} taps / empty (end to end, run by run)`,
      full.map((t, i) => t.latency.p99 / (empty[i] ?? t).latency.p99),
      "x",
      { text: "<= 1.2", met: (v) => v <= 1.2 },
    ),
    target(
      `tap p99 with ${m.historyTaps} taps / empty (reader boundary, run by run)`,
      full.map((t, i) => t.lookupAndCommit.p99 / (empty[i] ?? t).lookupAndCommit.p99),
      "x",
      { text: "<= 1.2", met: (v) => v <= 1.2 },
    ),
  ];
  for (const concurrency of [...new Set(m.drains.map((d) => d.concurrency))]) {
    const runs = m.drains.filter((d) => d.concurrency === concurrency);
    targets.push(
      target(
        `drain at concurrency ${concurrency}, fraction of the bound`,
        runs.map((d) => d.fractionOfBound * 100),
        "%",
        { text: ">= 90", met: (v) => v >= 90 },
        1,
      ),
      target(
        `drain at concurrency ${concurrency}, bare HTTP client against the same server, of the bound`,
        runs.flatMap((d) =>
          d.barePerSecond === null ? [] : [(d.barePerSecond / d.boundPerSecond) * 100],
        ),
        "%",
        { text: "(measured)", met: () => true },
        1,
      ),
      target(
        `drain at concurrency ${concurrency}, daemon over the bare HTTP client`,
        runs.flatMap((d) => (d.fractionOfBare === null ? [] : [d.fractionOfBare * 100])),
        "%",
        { text: "(measured)", met: () => true },
        1,
      ),
      target(
        `daemon CPU per booking at concurrency ${concurrency}`,
        runs.map((d) => d.cpuMsPerEntry),
        "ms",
        { text: "(measured)", met: () => true },
      ),
    );
  }
  targets.push(
    target(
      "daemon CPU per tap (handleRead, empty)",
      empty.map((t) => t.cpuMsPerTap),
      "ms",
      { text: "(measured)", met: () => true },
      3,
    ),
    target(
      "bytes written per tap, checkpoints included (empty)",
      empty.map((t) => t.amortisedWriteBytesPerTap / 1024),
      "KiB",
      { text: "<= 16", met: (v) => v <= 16 },
      1,
    ),
    target(
      `bytes written per tap, checkpoints included (${m.historyTaps} taps)`,
      full.map((t) => t.amortisedWriteBytesPerTap / 1024),
      "KiB",
      { text: "<= 16", met: (v) => v <= 16 },
      1,
    ),
  );
  return targets;
}

export function startupRows(series: readonly StartupResult[]): Row[] {
  return series.map((s, i) => ({
    series: i + 1,
    starts: s.runs,
    "history taps": s.historyTaps,
    "reader open p50/max ms": `${round(s.toReaderOpen.p50, 0)}/${round(s.toReaderOpen.max, 0)}`,
    "ready p50/max ms": `${round(s.toReady.p50, 0)}/${round(s.toReady.max, 0)}`,
    "RSS at ready MiB": round(s.rssAtReadyBytes.p50 / MiB, 1),
    "module files ESM/CJS": `${s.modulesAtReady.esm}/${s.modulesAtReady.commonjs}`,
  }));
}

export function moduleRows(steps: readonly ModuleStep[]): Row[] {
  return steps.map((s, i) => {
    const before = steps[i - 1];
    return {
      "loaded so far (in the order of timeclock run)": s.step,
      "RSS MiB": round(s.rssBytes / MiB, 1),
      "+RSS MiB": before ? round((s.rssBytes - before.rssBytes) / MiB, 1) : "-",
      "heap used MiB": round(s.heapUsedBytes / MiB, 1),
      "load ms": round(s.loadMs, 0),
    };
  });
}

export function tapRows(runs: readonly TapLatencyResult[]): Row[] {
  const ms = (value: number) => round(value, 2);
  return runs.map((r) => ({
    journal: r.historyTaps === 0 ? "empty" : `${r.historyTaps} taps`,
    run: r.run,
    "p50 ms": ms(r.latency.p50),
    "p99 ms": ms(r.latency.p99),
    "max ms": ms(r.latency.max),
    "read p50/p99": `${ms(r.readAndParse.p50)}/${ms(r.readAndParse.p99)}`,
    "decoded→feedback p50/p99": `${ms(r.lookupAndCommit.p50)}/${ms(r.lookupAndCommit.p99)}`,
    "after p50/p99": `${ms(r.afterFeedback.p50)}/${ms(r.afterFeedback.p99)}`,
    "bare p50/p99": `${ms(r.bareCommit.p50)}/${ms(r.bareCommit.p99)}`,
    "boundary/bare p99": round(r.readerBoundaryP99OverBareP99, 2),
    "e2e/bare p99": round(r.p99OverBareP99, 2),
    "cpu ms/tap": round(r.cpuMsPerTap, 3),
    "KiB/tap window": round(r.writeBytesPerTap / 1024, 1),
    "KiB/tap all": round(r.amortisedWriteBytesPerTap / 1024, 1),
    "slow taps": r.checkpointTaps,
  }));
}

export function walRows(runs: readonly WalPages[]): Row[] {
  const trees = [...new Set(runs.flatMap((run) => Object.keys(run.byTree)))].sort();
  const column = (run: WalPages) =>
    run.historyTaps === 0 ? "empty journal" : `${run.historyTaps} taps`;
  const row = (name: string, value: (run: WalPages) => number): Row =>
    Object.fromEntries([
      ["pages per tap", name],
      ...runs.map((run) => [column(run), round(value(run), 2)]),
    ]);
  return [
    ...trees.map((tree) => row(tree, (run) => run.byTree[tree] ?? 0)),
    row("all", (run) => run.framesPerTap),
    row("KiB appended to the WAL", (run) => run.walBytesPerTap / 1024),
  ];
}

export function importRows(runs: readonly BadgeImportResult[]): Row[] {
  return runs.map((r) => ({
    rows: r.rows,
    "add s": round(r.addSeconds, 2),
    "update s": round(r.updateSeconds, 2),
    "rows/s": Math.round(r.addRowsPerSecond),
    "µs/row": round((r.addSeconds / r.rows) * 1e6, 1),
  }));
}

export function drainRows(drains: readonly DrainResult[]): Row[] {
  return drains.map((d) => ({
    concurrency: d.concurrency,
    "latency ms": d.latencyMs,
    entries: d.entries,
    "bound /s": round(d.boundPerSecond, 1),
    "booked /s": round(d.perSecond, 1),
    "of bound": `${round(d.fractionOfBound * 100, 1)}%`,
    "bare client /s": d.barePerSecond === null ? "-" : round(d.barePerSecond, 1),
    "of bare": d.fractionOfBare === null ? "-" : `${round(d.fractionOfBare * 100, 1)}%`,
    "total s": round(d.totalSeconds, 1),
    "cpu ms/entry": round(d.cpuMsPerEntry, 2),
    "sim cpu ms/entry": round(d.simulatorCpuMsPerEntry, 2),
    retries: d.retries,
    "rss after MiB": round(d.rssAfterBytes / MiB, 1),
    "peak MiB": round(d.peakRssBytes / MiB, 1),
  }));
}
