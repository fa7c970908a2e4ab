#!/usr/bin/env node
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
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
import {
  DISPLAY_SCENARIOS,
  type DisplayScenarioResult,
  runDisplayScenario,
} from "./display-latency.js";
import { displayRows, displayTargets } from "./display-report.js";
import { benchUsers } from "./fixtures.js";
import { measureModuleCost } from "./module-cost.js";
import {
  drainRows,
  importRows,
  issueTargets,
  type Measured,
  moduleRows,
  round,
  startupRows,
  type Target,
  tapRows,
  targetRows,
  walRows,
} from "./report.js";
import {
  FULL,
  measureDrains,
  measureIdleMemory,
  measureStartups,
  measureTaps,
  measureWal,
  type Plan,
  QUICK,
} from "./series.js";
import { runSiteBench, type SiteBenchResult } from "./site-bench.js";
import { rerunOnSlowDisk, slowFsyncMs } from "./slow-disk.js";
import { unitNodeFlags } from "./unit-flags.js";

const RESULTS_DIR = resolve("bench/results");

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^(model name|Model)\s*:\s*(.+)$/m.exec(cpuinfo)?.[2] ?? "unknown";
  return {
    cpus: cpus().length,
    cpuModel: model,
    node: process.version,
    platform: process.platform,
    loadAverage: loadavg(),
  };
}

async function measureDisplay(
  root: string,
  users: ReturnType<typeof benchUsers>,
  plan: Plan,
  log: (line: string) => void,
): Promise<DisplayScenarioResult[]> {
  const runs: DisplayScenarioResult[] = [];
  for (const scenario of DISPLAY_SCENARIOS) {
    log(`screen at the door: ${scenario.name}`);
    runs.push(
      await runDisplayScenario(root, users, scenario, plan.displaySeconds, plan.historyTaps / 50),
    );
  }
  return runs;
}

function printDisplay(runs: readonly DisplayScenarioResult[]): void {
  process.stdout.write(
    "\nscreen at the door against the tap path (daemon and console process pinned to one CPU, taps at 10/s)\n",
  );
  process.stdout.write(renderTable(displayRows(runs)));
  process.stdout.write(
    renderTable(displayTargets(runs).map((t) => ({ ...t, met: t.met ? "yes" : "NO" }))),
  );
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

/** A focused run (--drain-only, --taps-only): its table and the issue's targets it measured. */
function printFocused(title: string, table: string, measured: Measured): void {
  const targets = issueTargets(measured).filter((t) => Number.isFinite(t.value));
  process.stdout.write(`\n${title}\n${table}`);
  process.stdout.write(
    `\ntargets measured, machine load ${loadavg()
      .map((l) => round(l, 2))
      .join(" ")}\n${renderTable(targetRows(targets))}`,
  );
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
    .option(
      "--drain-only",
      "only the backlog drains at each concurrency (plan.runs each), with the drain targets; nothing written",
    )
    .option(
      "--taps-only",
      "only tap latency on the empty and the large journal and the WAL pages per tap, with their targets; nothing written",
    )
    .option(
      "--startup-only",
      "only exec to ready (plan.runs series of plan.starts starts) and the idle daemon's memory, with their targets; nothing written",
    )
    .option(
      "--slow-fsync <ms>",
      "delay every fsync by MS (an SD card's flush: 5 to 20) and measure only the tap and the drain on that disk; builds bench/slow-fsync.c with cc and preloads it",
    )
    .option("--runs <n>", "how many times each issue-15 figure is measured (default 3, quick 1)")
    .parse();
  const options = program.opts<{
    runs?: string;
    quick: boolean;
    dir: string;
    siteOnly?: boolean;
    drainOnly?: boolean;
    tapsOnly?: boolean;
    startupOnly?: boolean;
    slowFsync?: string;
  }>();
  const runs = options.runs === undefined ? undefined : Number.parseInt(options.runs, 10);
  if (runs !== undefined && !(runs >= 1)) {
    throw new Error(`--runs must be a whole number of at least 1, got "${options.runs}"`);
  }
  const plan = { ...(options.quick ? QUICK : FULL), ...(runs ? { runs } : {}) };
  mkdirSync(options.dir, { recursive: true });
  const root = mkdtempSync(join(options.dir, "run-"));
  const slowFsync = options.slowFsync === undefined ? undefined : Number(options.slowFsync);
  if (slowFsync !== undefined && !(slowFsync > 0)) {
    throw new Error(
      `--slow-fsync must be a number of milliseconds above 0, got "${options.slowFsync}"`,
    );
  }
  if (slowFsync !== undefined && slowFsyncMs() === undefined) {
    process.exitCode = rerunOnSlowDisk(root, slowFsync);
    rmSync(root, { recursive: true, force: true });
    return;
  }
  const users = benchUsers(plan.users);
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  // The daemons run with the Node options of timeclock.service, as the installed one does.
  const nodeOptions = unitNodeFlags();
  log(`daemon Node options from systemd/timeclock.service: ${nodeOptions.join(" ") || "(none)"}`);
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
    if (slowFsync !== undefined) {
      const taps = await measureTaps(root, users, plan, log);
      const drains = await measureDrains(root, users, plan, nodeOptions, log);
      printFocused(
        `on a disk whose fsync takes ${slowFsync} ms longer (bench/slow-fsync.c)`,
        `tap to feedback\n${renderTable(tapRows(taps))}\nbacklog drain\n${renderTable(drainRows(drains))}`,
        { startup: [], taps, idleRssBytes: [], drains, historyTaps: plan.historyTaps },
      );
      return;
    }
    if (options.drainOnly) {
      const drains = await measureDrains(root, users, plan, nodeOptions, log);
      printFocused("backlog drain", renderTable(drainRows(drains)), {
        startup: [],
        taps: [],
        idleRssBytes: [],
        drains,
        historyTaps: plan.historyTaps,
      });
      return;
    }
    if (options.tapsOnly) {
      const taps = await measureTaps(root, users, plan, log);
      const wal = measureWal(root, users, plan, log);
      printFocused(
        "tap to feedback",
        `${renderTable(tapRows(taps))}\nWAL pages written per tap, by table or index (checkpoints off)\n${renderTable(walRows(wal))}`,
        { startup: [], taps, idleRssBytes: [], drains: [], historyTaps: plan.historyTaps },
      );
      return;
    }
    const startup = await measureStartups(root, users, plan, nodeOptions, log);
    if (options.startupOnly) {
      const idleRssBytes = await measureIdleMemory(root, users, plan, nodeOptions, log);
      printFocused("start-up", renderTable(startupRows(startup)), {
        startup,
        taps: [],
        idleRssBytes,
        drains: [],
        historyTaps: plan.historyTaps,
      });
      return;
    }
    log("memory by module");
    const modules = measureModuleCost(nodeOptions);
    const taps = await measureTaps(root, users, plan, log);
    const wal = measureWal(root, users, plan, log);
    const idleRssBytes = await measureIdleMemory(root, users, plan, nodeOptions, log);
    const drains = await measureDrains(root, users, plan, nodeOptions, log);
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
    const display = await measureDisplay(root, users, plan, log);
    const targets: Target[] = issueTargets({
      startup,
      taps,
      idleRssBytes,
      drains,
      historyTaps: plan.historyTaps,
    });
    const [smallImport, largeImport] = imports;
    if (smallImport && largeImport) {
      const growth = largeImport.addSeconds / smallImport.addSeconds;
      const linear = largeImport.rows / smallImport.rows;
      targets.push(
        {
          figure: `badges import of ${smallImport.rows} lines`,
          value: round(smallImport.addSeconds, 2),
          runs: "(one run)",
          unit: "s",
          target: "< 10",
          met: smallImport.addSeconds < 10,
        },
        {
          figure: `badges import time, ${largeImport.rows} over ${smallImport.rows} lines (${linear}x the lines)`,
          value: round(growth, 1),
          runs: "(one run)",
          unit: "x",
          target: `<= ${linear * 1.5} (linear)`,
          met: growth <= linear * 1.5,
        },
      );
    }

    const result = {
      at: new Date().toISOString(),
      quick: options.quick,
      machine: machine(),
      plan,
      nodeOptions,
      startup,
      modules,
      taps,
      wal,
      idleRssBytes,
      drains,
      imports,
      console: consoleRuns,
      consoleTargets: consoleTargets(consoleRuns),
      display,
      displayTargets: displayTargets(display),
      site,
      targets,
    };
    const print = (title: string, table: string) => process.stdout.write(`\n${title}\n${table}`);
    print(
      "start-up: exec to reader open and to ready (timeclock run, serial reader on a pty)",
      renderTable(startupRows(startup)),
    );
    print("memory by module (fresh Node, gc after each import)", renderTable(moduleRows(modules)));
    print(
      "tap to feedback (socat pty, SerialReader, Terminal, WAL + synchronous=FULL, daemon checkpoints)",
      renderTable(tapRows(taps)),
    );
    print(
      "WAL pages written per tap, by table or index (checkpoints off)",
      renderTable(walRows(wal)),
    );
    print("backlog drain (real daemon against the simulator)", renderTable(drainRows(drains)));
    print(
      "badges import (the real command in-process, real SQLite file)",
      renderTable(importRows(imports)),
    );
    print(
      "web console against the tap path (daemon and console pinned to one CPU, taps at 10/s)",
      renderTable(consoleRows(consoleRuns)),
    );
    process.stdout.write(
      renderTable(consoleTargets(consoleRuns).map((t) => ({ ...t, met: t.met ? "yes" : "NO" }))),
    );
    printDisplay(display);
    printSite(site, plan.site.latencyMs);
    print(
      `targets${options.quick ? " (quick run: counts too small to judge)" : ""}, machine load ${machine()
        .loadAverage.map((l) => round(l, 2))
        .join(" ")}`,
      renderTable(targetRows(targets)),
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
