#!/usr/bin/env node
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { type Row, renderTable } from "../src/cli/output.js";
import { type BadgeImportResult, measureBadgeImport } from "./badge-import.js";
import {
  CONSOLE_SCENARIOS,
  type ConsoleScenarioResult,
  runConsoleScenario,
} from "./console-load.js";
import { consoleRows, consoleTargets } from "./console-report.js";
import { type DrainResult, idleMemory, runDrain } from "./drain.js";
import { benchUsers } from "./fixtures.js";
import { seededRandom } from "./random.js";
import { runSiteBench, type SiteBenchResult, type SitePlan } from "./site-bench.js";
import { measureTapLatency, type TapLatencyResult } from "./tap-latency.js";
import { measureWalPages, type WalPages } from "./wal-pages.js";

const RESULTS_DIR = resolve("bench/results");
const MiB = 1024 * 1024;

interface Plan {
  users: number;
  taps: number;
  warmupTaps: number;
  historyTaps: number;
  drainEntries: number;
  concurrencies: number[];
  latencyMs: number;
  /** Lines of the badge CSVs imported, smallest first. */
  importRows: number[];
  /** Seconds of taps at 10/s per console scenario. */
  consoleSeconds: number;
  site: SitePlan;
}

const FULL: Plan = {
  users: 200,
  taps: 1000,
  warmupTaps: 50,
  historyTaps: 1_000_000,
  drainEntries: 10_000,
  concurrencies: [2, 4, 8],
  latencyMs: 20,
  importRows: [10_000, 100_000],
  consoleSeconds: 20,
  site: { taps: 200, usersPerDoor: 20, drainEntries: 300, latencyMs: 20 },
};

const QUICK: Plan = {
  ...FULL,
  taps: 200,
  warmupTaps: 20,
  historyTaps: 20_000,
  drainEntries: 600,
  importRows: [1_000, 10_000],
  consoleSeconds: 5,
  site: { taps: 40, usersPerDoor: 4, drainEntries: 40, latencyMs: 20 },
};

interface Target {
  figure: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^(model name|Model)\s*:\s*(.+)$/m.exec(cpuinfo)?.[2] ?? "unknown";
  return {
    cpus: cpus().length,
    cpuModel: model,
    node: process.version,
    platform: process.platform,
  };
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function tapRows(runs: readonly TapLatencyResult[]): Row[] {
  const ms = (value: number) => round(value, 2);
  return runs.map((r) => ({
    journal: r.historyTaps === 0 ? "empty" : `${r.historyTaps} taps`,
    taps: r.latency.count,
    "p50 ms": ms(r.latency.p50),
    "p99 ms": ms(r.latency.p99),
    "max ms": ms(r.latency.max),
    "read p50/p99": `${ms(r.readAndParse.p50)}/${ms(r.readAndParse.p99)}`,
    "commit p50/p99": `${ms(r.lookupAndCommit.p50)}/${ms(r.lookupAndCommit.p99)}`,
    "after p50/p99": `${ms(r.afterFeedback.p50)}/${ms(r.afterFeedback.p99)}`,
    "bare p50/p99": `${ms(r.bareCommit.p50)}/${ms(r.bareCommit.p99)}`,
    "p99/bare p99": round(r.p99OverBareP99, 2),
    "KiB/tap": round(r.writeBytesPerTap / 1024, 1),
    "checkpoint taps": r.checkpointTaps,
    "p99 of the others": ms(r.latencyWithoutCheckpoints.p99),
    "checkpoint p50": r.latencyOfCheckpoints ? ms(r.latencyOfCheckpoints.p50) : "-",
  }));
}

function walRows(runs: readonly WalPages[]): Row[] {
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

function importRows(runs: readonly BadgeImportResult[]): Row[] {
  return runs.map((r) => ({
    rows: r.rows,
    "add s": round(r.addSeconds, 2),
    "update s": round(r.updateSeconds, 2),
    "rows/s": Math.round(r.addRowsPerSecond),
    "µs/row": round((r.addSeconds / r.rows) * 1e6, 1),
  }));
}

function drainRows(drains: readonly DrainResult[]): Row[] {
  return drains.map((d) => ({
    concurrency: d.concurrency,
    "latency ms": d.latencyMs,
    entries: d.entries,
    "bound /s": round(d.boundPerSecond, 1),
    "booked /s": round(d.perSecond, 1),
    "of bound": `${round(d.fractionOfBound * 100, 1)}%`,
    "total s": round(d.totalSeconds, 1),
    "cpu ms/entry": round(d.cpuMsPerEntry, 2),
    "sim cpu ms/entry": round(d.simulatorCpuMsPerEntry, 2),
    retries: d.retries,
    "rss after MiB": round(d.rssAfterBytes / MiB, 1),
    "peak MiB": round(d.peakRssBytes / MiB, 1),
  }));
}

function siteRows(site: SiteBenchResult): { taps: Row[]; drains: Row[] } {
  const ms = (value: number) => round(value, 2);
  const row = (terminal: string, s: SiteBenchResult["site"], perSecond = "-"): Row => ({
    terminal,
    taps: s.count,
    "p50 ms": ms(s.p50),
    "p99 ms": ms(s.p99),
    "max ms": ms(s.max),
    "site taps/s": perSecond,
  });
  const ten = site.tenDoors;
  return {
    taps: [
      row("lone terminal (SQLite)", site.lone),
      row("site door (PostgreSQL, fsync on)", site.site),
      row(`${ten.doors} site doors at once`, ten.latency, String(round(ten.tapsPerSecond, 1))),
    ],
    drains: site.drains.map((d) => ({
      doors: d.doors,
      entries: d.entries,
      "first to last booking s": round(d.seconds, 1),
      "booked /s": round(d.bookedPerSecond, 1),
      "booked by door": Object.entries(d.byDoor)
        .map(([door, n]) => `${door} ${n}`)
        .join(", "),
    })),
  };
}

function printSite(site: SiteBenchResult, latencyMs: number): void {
  const rows = siteRows(site);
  process.stdout.write(
    "\nsite mode: pty frame to the daemon's tap line (real daemons, socat ptys, PostgreSQL)\n",
  );
  process.stdout.write(renderTable(rows.taps));
  process.stdout.write(
    `\nsite backlog drained by several doors (simulator latency ${latencyMs} ms, concurrency 2 each)\n`,
  );
  process.stdout.write(renderTable(rows.drains));
}

async function main(): Promise<void> {
  const program = new Command()
    .name("bench")
    .description(
      "measure tap-to-feedback latency, backlog drain throughput, memory, disk writes and badge imports; prints a table and writes bench/results/latest.json",
    )
    .option("--quick", "small counts for a smoke run (figures are not comparable)", false)
    .option(
      "--dir <path>",
      "directory on the disk to measure (the data directory's disk on a terminal)",
      join(RESULTS_DIR, "work"),
    )
    .option("--site-only", "only site mode's benchmarks (writes bench/results/site-latest.json)")
    .parse();
  const options = program.opts<{ quick: boolean; dir: string; siteOnly?: boolean }>();
  const plan = options.quick ? QUICK : FULL;
  mkdirSync(options.dir, { recursive: true });
  const root = mkdtempSync(join(options.dir, "run-"));
  const users = benchUsers(plan.users);
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  try {
    if (options.siteOnly) {
      const site = await runSiteBench(root, plan.site, log);
      printSite(site, plan.site.latencyMs);
      mkdirSync(RESULTS_DIR, { recursive: true });
      const file = join(RESULTS_DIR, "site-latest.json");
      const at = new Date().toISOString();
      writeFileSync(
        file,
        `${JSON.stringify({ at, quick: options.quick, machine: machine(), plan: plan.site, site }, null, 2)}\n`,
      );
      process.stdout.write(`\nwrote ${file}\n`);
      return;
    }
    const taps: TapLatencyResult[] = [];
    for (const historyTaps of [0, plan.historyTaps]) {
      log(`tap latency with ${historyTaps} taps in the journal`);
      taps.push(
        await measureTapLatency({
          root,
          users,
          taps: plan.taps,
          warmupTaps: plan.warmupTaps,
          historyTaps,
          random: seededRandom(1),
        }),
      );
    }
    log("pages written per tap");
    const wal = [0, plan.historyTaps].map((historyTaps) =>
      measureWalPages(root, users, plan.taps, { taps: historyTaps, random: seededRandom(1) }),
    );
    log("idle memory of the daemon");
    const idle = await idleMemory(root, users, 2000);
    const drains: DrainResult[] = [];
    for (const concurrency of plan.concurrencies) {
      log(`draining ${plan.drainEntries} entries at concurrency ${concurrency}`);
      drains.push(
        await runDrain({
          root,
          users,
          entries: plan.drainEntries,
          concurrency,
          latencyMs: plan.latencyMs,
        }),
      );
    }
    const imports: BadgeImportResult[] = [];
    for (const rows of plan.importRows) {
      log(`badges import of ${rows} lines`);
      imports.push(await measureBadgeImport(root, rows));
    }
    const consoleRuns: ConsoleScenarioResult[] = [];
    for (const scenario of CONSOLE_SCENARIOS) {
      log(`web console: ${scenario.name}`);
      consoleRuns.push(
        await runConsoleScenario(root, users, scenario, plan.consoleSeconds, plan.historyTaps / 50),
      );
    }
    const site = await runSiteBench(root, plan.site, log);
    const drain2 = drains.find((d) => d.concurrency === 2) ?? drains[0];
    const targets: Target[] = [];
    const [empty, full] = taps as [TapLatencyResult, TapLatencyResult];
    targets.push(
      {
        figure: "tap p99 over bare commit p99 (empty journal)",
        value: round(empty.p99OverBareP99, 2),
        unit: "x",
        target: "<= 2",
        met: empty.p99OverBareP99 <= 2,
      },
      {
        figure: `tap p99 with ${plan.historyTaps} taps over tap p99 empty`,
        value: round(full.latency.p99 / empty.latency.p99, 2),
        unit: "x",
        target: "<= 1.2",
        met: full.latency.p99 / empty.latency.p99 <= 1.2,
      },
      {
        figure: "bytes written to disk per tap (empty journal)",
        value: round(empty.writeBytesPerTap / 1024, 1),
        unit: "KiB",
        target: "< 16",
        met: empty.writeBytesPerTap < 16 * 1024,
      },
    );
    if (drain2) {
      targets.push({
        figure: "drain throughput at concurrency 2, fraction of bound",
        value: round(drain2.fractionOfBound, 3),
        unit: "",
        target: ">= 0.9",
        met: drain2.fractionOfBound >= 0.9,
      });
    }
    const [smallImport, largeImport] = imports;
    if (smallImport && largeImport) {
      const growth = largeImport.addSeconds / smallImport.addSeconds;
      const linear = largeImport.rows / smallImport.rows;
      targets.push(
        {
          figure: `badges import of ${smallImport.rows} lines`,
          value: round(smallImport.addSeconds, 2),
          unit: "s",
          target: "< 10",
          met: smallImport.addSeconds < 10,
        },
        {
          figure: `badges import time, ${largeImport.rows} over ${smallImport.rows} lines (${linear}x the lines)`,
          value: round(growth, 1),
          unit: "x",
          target: `<= ${linear * 1.5} (linear)`,
          met: growth <= linear * 1.5,
        },
      );
    }
    const rssAfter = Math.max(...drains.map((d) => d.rssAfterBytes));
    targets.push(
      {
        figure: "daemon RSS idle after start",
        value: round(idle.rssBytes / MiB, 1),
        unit: "MiB",
        target: "< 80",
        met: idle.rssBytes < 80 * MiB,
      },
      {
        figure: "daemon RSS after draining the backlog (largest of the runs)",
        value: round(rssAfter / MiB, 1),
        unit: "MiB",
        target: "< 80",
        met: rssAfter < 80 * MiB,
      },
    );

    const result = {
      at: new Date().toISOString(),
      quick: options.quick,
      machine: machine(),
      plan,
      taps,
      wal,
      idle,
      drains,
      imports,
      console: consoleRuns,
      consoleTargets: consoleTargets(consoleRuns),
      site,
      targets,
    };
    process.stdout.write(
      "\ntap to feedback (socat pty, SerialReader, Terminal, WAL + synchronous=FULL)\n",
    );
    process.stdout.write(renderTable(tapRows(taps)));
    process.stdout.write("\nWAL pages written per tap, by table or index (checkpoints off)\n");
    process.stdout.write(renderTable(walRows(wal)));
    process.stdout.write(`\nbacklog drain (real daemon against the simulator)\n`);
    process.stdout.write(renderTable(drainRows(drains)));
    process.stdout.write("\nbadges import (the real command in-process, real SQLite file)\n");
    process.stdout.write(renderTable(importRows(imports)));
    process.stdout.write(
      "\nweb console against the tap path (daemon and console pinned to one CPU, taps at 10/s)\n",
    );
    process.stdout.write(renderTable(consoleRows(consoleRuns)));
    process.stdout.write(
      renderTable(consoleTargets(consoleRuns).map((t) => ({ ...t, met: t.met ? "yes" : "NO" }))),
    );
    printSite(site, plan.site.latencyMs);
    process.stdout.write(
      `\ntargets${options.quick ? " (quick run: counts too small to judge)" : ""}\n`,
    );
    process.stdout.write(
      renderTable(
        targets.map((t) => ({
          figure: t.figure,
          value: `${t.value}${t.unit ? ` ${t.unit}` : ""}`,
          target: t.target,
          met: t.met ? "yes" : "NO",
        })),
      ),
    );
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, "latest.json");
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`\nwrote ${file}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
