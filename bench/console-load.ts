import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { READ_ONLY_LINK, setConsolePassword } from "../src/admin/index.js";
import { parseConfig } from "../src/config/load.js";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { SEED_ADMIN, startSimulator } from "../src/simulator/index.js";
import { openDatabase } from "../src/store/database.js";
import { ConsoleClient } from "./console-client.js";
import { DaemonProcess, type LogRecord } from "./daemon-process.js";
import { type BenchUser, daemonConfig, insertHistory, mapBadges, seedFor } from "./fixtures.js";
import { residentMemory } from "./proc.js";
import { startPtyPair } from "./pty-pair.js";
import { seededRandom } from "./random.js";
import { rdm6300Frame } from "./rdm6300-frame.js";
import { type Summary, summarize } from "./stats.js";

/**
 * The console against the tap path, through the real daemon: taps arrive at 10 per second on a
 * socat pseudo-terminal while the console is off, idle, asked for pages at a person's pace, or
 * flooded by clients asking as fast as they can. The daemon (and with it the console) is pinned
 * to one CPU, as on a Pi Zero; the load comes from the other. The same flood is also run with the
 * console as a worker thread inside the daemon, the alternative to the child process.
 */

export type ConsoleMode = "off" | "child" | "worker";

export interface ConsoleScenario {
  name: string;
  mode: ConsoleMode;
  /** Clients asking for pages back to back (0: nobody asks). */
  flood: number;
  /** One client asking for a page every this many ms, timed (0: none). */
  paceMs: number;
  /** Also put the console under SCHED_IDLE (chrt --idle), for comparison with nice alone. */
  schedIdle?: boolean;
}

export interface ConsoleScenarioResult {
  name: string;
  mode: ConsoleMode;
  flood: number;
  taps: Summary;
  /** Pages answered to the paced client; null when none asked. */
  pages: (Summary & { p95: number }) | null;
  /** Pages the flood got answered, per second. */
  floodPerSecond: number;
  daemonRssBytes: number;
  consoleRssBytes: number;
}

const PASSWORD = "benchmark console password";
const PAGES = ["/", "/badges", "/reports", "/queue?state=all", "/taps"];
const TAPS_PER_SECOND = 10;

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

/** Pins a process and its threads to CPUs; a machine without taskset or a second CPU runs unpinned. */
export function pinTo(pid: number, cpus: string): void {
  try {
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
  } catch {
    // The figures then include the load's own work on the terminal's CPU.
  }
}

function p95(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1] ?? 0;
}

/**
 * Milliseconds from each frame written (`written`: per badge, the Date.now() of each write in
 * order) to the daemon's log line of its tap, which it writes once the tap is committed and
 * signalled.
 */
export function journalledLatencies(
  records: readonly LogRecord[],
  written: ReadonlyMap<string, readonly number[]>,
): number[] {
  const latencies: number[] = [];
  const seen = new Map<string, number>();
  for (const record of records.filter(isTapRecord)) {
    const badge = String(record.badge);
    const index = seen.get(badge) ?? 0;
    seen.set(badge, index + 1);
    const at = written.get(badge)?.[index];
    if (at !== undefined) latencies.push(Date.parse(String(record.time)) - at);
  }
  return latencies;
}

export function isTapRecord(record: { msg: string }): boolean {
  return typeof record.msg === "string" && record.msg.startsWith("tap ");
}

/** One scenario on a fresh data directory with the same users and history. */
export async function runConsoleScenario(
  root: string,
  users: readonly BenchUser[],
  scenario: ConsoleScenario,
  seconds: number,
  historyTaps: number,
): Promise<ConsoleScenarioResult> {
  const dir = mkdtempSync(join(root, "console-"));
  // socat stands for the UART and its driver: it shares the terminal's CPU (it inherits this
  // process's CPU at its start). The load (clients, simulator, this process) then moves to the
  // other CPU, as a browser's work happens elsewhere; only its requests reach the terminal.
  pinTo(process.pid, "0");
  const pty = await startPtyPair(dir);
  pinTo(process.pid, "1");
  const sim = await startSimulator({ seed: seedFor(users) });
  let daemon: DaemonProcess | undefined;
  let host: number | undefined;
  const clients: ConsoleClient[] = [];
  try {
    const dataDir = join(dir, "data");
    const port = await freePort();
    const raw = {
      ...daemonConfig({
        dataDir,
        serverUrl: sim.url,
        reader: { type: "serial", path: pty.devicePath },
        concurrency: 2,
      }),
      console: { enabled: scenario.mode !== "off", listen: "127.0.0.1", port },
    };
    const configPath = join(dir, "config.json");
    writeFileSync(configPath, JSON.stringify(raw));
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    mapBadges(db, systemClock, users);
    insertHistory(db, users, historyTaps, new Date(), seededRandom(7));
    const config = parseConfig(raw, "bench");
    await setConsolePassword(
      { db, clock: systemClock, config, daemon: READ_ONLY_LINK, actor: "bench" },
      PASSWORD,
    );
    db.close();
    const env = { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };
    daemon =
      scenario.mode === "worker"
        ? new DaemonProcess(
            configPath,
            env,
            [],
            [resolve("dist-bench/bench/console-worker-daemon.js")],
          )
        : new DaemonProcess(configPath, env);
    const daemonPid = daemon.child.pid as number;
    pinTo(daemonPid, "0");
    await daemon.waitFor((record) => record.msg === "terminal ready", "readiness", 30_000);
    let consolePid: number | null = null;
    if (scenario.mode !== "off") {
      const listening = await daemon.waitFor(
        (record) => record.msg === "console listening",
        "the console",
        30_000,
      );
      consolePid = Number(listening.pid);
      if (consolePid !== daemonPid) pinTo(consolePid, "0");
      if (scenario.schedIdle) execFileSync("chrt", ["--idle", "-a", "-p", "0", String(consolePid)]);
    }
    const base = `https://127.0.0.1:${port}`;
    let stop = false;
    let floodAnswers = 0;
    const loops: Promise<void>[] = [];
    for (let i = 0; i < scenario.flood; i++) {
      // Each from an address of its own: the per-address rate limit would otherwise turn the
      // flood away, and the worst case (the console as busy as it can be) is what is measured.
      const client = new ConsoleClient(base, `127.0.0.${10 + i}`);
      clients.push(client);
      await client.login(PASSWORD);
      loops.push(
        (async () => {
          for (let n = i; !stop; n++) {
            await client.fetch("GET", PAGES[n % PAGES.length] ?? "/");
            floodAnswers++;
          }
        })(),
      );
    }
    const pageTimes: number[] = [];
    if (scenario.paceMs > 0) {
      const client = new ConsoleClient(base);
      clients.push(client);
      await client.login(PASSWORD);
      loops.push(
        (async () => {
          for (let n = 0; !stop; n++) {
            const answer = await client.fetch("GET", PAGES[n % PAGES.length] ?? "/");
            if (answer.status === 200) pageTimes.push(answer.ms);
            await sleep(scenario.paceMs);
          }
        })(),
      );
    }
    await sleep(1000);
    host = openSync(pty.hostPath, "w");
    const written = new Map<string, number[]>();
    const tapCount = seconds * TAPS_PER_SECOND;
    const floodStart = floodAnswers;
    const started = Date.now();
    for (let i = 0; i < tapCount; i++) {
      const user = users[i % users.length] as BenchUser;
      const due = started + (i * 1000) / TAPS_PER_SECOND;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const times = written.get(user.badgeId) ?? [];
      times.push(Date.now());
      written.set(user.badgeId, times);
      writeSync(host, rdm6300Frame(user.badgeId));
    }
    const deadline = Date.now() + 15_000;
    while (daemon.records.filter(isTapRecord).length < tapCount && Date.now() < deadline)
      await sleep(100);
    const floodSeconds = (Date.now() - started) / 1000;
    const floodPerSecond = (floodAnswers - floodStart) / floodSeconds;
    const daemonRssBytes = residentMemory(daemonPid).rss;
    const consoleRssBytes =
      consolePid && consolePid !== daemonPid ? residentMemory(consolePid).rss : 0;
    stop = true;
    await Promise.all(loops);
    const latencies = journalledLatencies(daemon.records, written);
    if (latencies.length < tapCount) {
      throw new Error(
        `only ${latencies.length} of ${tapCount} taps were journalled in ${scenario.name}`,
      );
    }
    return {
      name: scenario.name,
      mode: scenario.mode,
      flood: scenario.flood,
      taps: summarize(latencies),
      pages: pageTimes.length > 0 ? { ...summarize(pageTimes), p95: p95(pageTimes) } : null,
      floodPerSecond,
      daemonRssBytes,
      consoleRssBytes,
    };
  } finally {
    for (const client of clients) client.close();
    if (host !== undefined) closeSync(host);
    await daemon?.stop("SIGTERM");
    await daemon?.closed;
    await pty.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scenarios in the order they run; the baseline twice, so its spread shows the run's noise. */
export const CONSOLE_SCENARIOS: readonly ConsoleScenario[] = [
  { name: "console off", mode: "off", flood: 0, paceMs: 0 },
  { name: "console child, idle", mode: "child", flood: 0, paceMs: 0 },
  { name: "console child, a person browsing", mode: "child", flood: 0, paceMs: 250 },
  { name: "console child, flooded by 8 clients", mode: "child", flood: 8, paceMs: 250 },
  {
    name: "console child under SCHED_IDLE, flooded by 8 clients",
    mode: "child",
    flood: 8,
    paceMs: 250,
    schedIdle: true,
  },
  { name: "console worker thread, flooded by 8 clients", mode: "worker", flood: 8, paceMs: 250 },
  { name: "console off (again)", mode: "off", flood: 0, paceMs: 0 },
];
