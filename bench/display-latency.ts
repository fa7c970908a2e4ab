import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { type ClientRequest, get } from "node:http";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { SEED_ADMIN, startSimulator } from "../src/simulator/index.js";
import { openDatabase } from "../src/store/database.js";
import { freePort, isTapRecord, journalledLatencies, pinTo } from "./console-load.js";
import { DaemonProcess } from "./daemon-process.js";
import { type BenchUser, daemonConfig, insertHistory, mapBadges, seedFor } from "./fixtures.js";
import { startPtyPair } from "./pty-pair.js";
import { seededRandom } from "./random.js";
import { rdm6300Frame } from "./rdm6300-frame.js";
import { type Summary, summarize } from "./stats.js";

/**
 * The screen at the door against the tap path, through the real daemon: taps at 10 per second on
 * a socat pseudo-terminal with no display, with a 20x4 LCD whose I2C bus takes 50 ms per write
 * (bench/display-console.ts), and with the kiosk page watched by one Server-Sent Events client,
 * which also times each tap from the frame written to the screen event it receives. The daemon
 * and its console process (which drives the display) share one CPU, as on a Pi Zero.
 */

export type DisplayKind = "none" | "slow-lcd" | "kiosk";

export interface DisplayScenario {
  name: string;
  display: DisplayKind;
}

export interface DisplayScenarioResult {
  name: string;
  display: DisplayKind;
  taps: Summary;
  /** Frame written at the reader to the kiosk page's screen event naming the person. */
  kioskEvents: Summary | null;
  /** Writes the slow LCD made and how long its bus was busy, to show it was kept busy. */
  busWrites: number;
  busBusyMs: number;
}

/** The baseline twice, first and last, so its spread shows the run's noise. */
export const DISPLAY_SCENARIOS: readonly DisplayScenario[] = [
  { name: "no display", display: "none" },
  { name: "LCD 20x4 on a bus taking 50 ms per write", display: "slow-lcd" },
  { name: "kiosk page, one browser watching", display: "kiosk" },
  { name: "no display (again)", display: "none" },
];

const TAPS_PER_SECOND = 10;
export const SLOW_BUS_WRITE_MS = 50;
const EMAIL = /bench\d{5}@gtsandbox\.en/g;

/** A Server-Sent Events client of the kiosk page: when each screen naming someone arrived. */
class ScreenWatcher {
  /** performance.now() of the first screen event naming each email. */
  readonly firstSeen = new Map<string, number>();
  readonly opened: Promise<void>;
  readonly #request: ClientRequest;

  constructor(port: number) {
    let opened: () => void = () => {};
    let failed: (error: Error) => void = () => {};
    this.opened = new Promise((done, fail) => {
      opened = done;
      failed = fail;
    });
    let buffered = "";
    this.#request = get({ host: "127.0.0.1", port, path: "/events" }, (response) => {
      if (response.statusCode !== 200) {
        failed(new Error(`the kiosk page's stream answered ${response.statusCode}`));
        return;
      }
      opened();
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        const at = performance.now();
        buffered += chunk;
        const messages = buffered.split("\n\n");
        buffered = messages.pop() ?? "";
        for (const message of messages) {
          for (const email of message.match(EMAIL) ?? []) {
            if (!this.firstSeen.has(email)) this.firstSeen.set(email, at);
          }
        }
      });
    });
    this.#request.once("error", failed);
  }

  close(): void {
    this.#request.destroy();
  }
}

/** The processes `pid` started (the console process of a daemon). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function displaySection(kind: DisplayKind, kioskPort: number): Record<string, unknown> {
  switch (kind) {
    case "none":
      return { type: "none" };
    case "slow-lcd":
      return { type: "lcd", lcd: { size: "20x4" }, holdSeconds: 2 };
    case "kiosk":
      return { type: "kiosk", kiosk: { port: kioskPort, buttons: true }, holdSeconds: 2 };
  }
}

/** One scenario on a fresh data directory with the same users and history. */
export async function runDisplayScenario(
  root: string,
  users: readonly BenchUser[],
  scenario: DisplayScenario,
  seconds: number,
  historyTaps: number,
): Promise<DisplayScenarioResult> {
  const dir = mkdtempSync(join(root, "display-"));
  pinTo(process.pid, "0");
  const pty = await startPtyPair(dir);
  pinTo(process.pid, "1");
  const sim = await startSimulator({ seed: seedFor(users) });
  let daemon: DaemonProcess | undefined;
  let watcher: ScreenWatcher | undefined;
  let host: number | undefined;
  try {
    const dataDir = join(dir, "data");
    const kioskPort = await freePort();
    const raw = {
      ...daemonConfig({
        dataDir,
        serverUrl: sim.url,
        reader: { type: "serial", path: pty.devicePath },
        concurrency: 2,
      }),
      display: displaySection(scenario.display, kioskPort),
    };
    const configPath = join(dir, "config.json");
    writeFileSync(configPath, JSON.stringify(raw));
    const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
    mapBadges(db, systemClock, users);
    insertHistory(db, users, historyTaps, new Date(), seededRandom(7));
    db.close();
    const env = {
      TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword,
      TIMECLOCK_BENCH_I2C_MS: String(SLOW_BUS_WRITE_MS),
    };
    daemon =
      scenario.display === "slow-lcd"
        ? new DaemonProcess(configPath, env, [], [resolve("dist-bench/bench/display-daemon.js")])
        : new DaemonProcess(configPath, env);
    const daemonPid = daemon.child.pid as number;
    pinTo(daemonPid, "0");
    await daemon.waitFor((record) => record.msg === "terminal ready", "readiness", 30_000);
    if (scenario.display !== "none") {
      const shown = scenario.display === "kiosk" ? "kiosk page listening" : "display on I2C driven";
      await daemon.waitFor((record) => record.msg === shown, "the display", 30_000);
      for (const pid of childrenOf(daemonPid)) pinTo(pid, "0");
    }
    if (scenario.display === "kiosk") {
      watcher = new ScreenWatcher(kioskPort);
      await watcher.opened;
    }
    await sleep(1000);
    host = openSync(pty.hostPath, "w");
    const written = new Map<string, number[]>();
    const writtenAt = new Map<string, number>();
    const tapCount = seconds * TAPS_PER_SECOND;
    const started = Date.now();
    for (let i = 0; i < tapCount; i++) {
      const user = users[i % users.length] as BenchUser;
      const wait = started + (i * 1000) / TAPS_PER_SECOND - Date.now();
      if (wait > 0) await sleep(wait);
      const times = written.get(user.badgeId) ?? [];
      times.push(Date.now());
      written.set(user.badgeId, times);
      if (!writtenAt.has(user.email)) writtenAt.set(user.email, performance.now());
      writeSync(host, rdm6300Frame(user.badgeId));
    }
    const deadline = Date.now() + 15_000;
    while (daemon.records.filter(isTapRecord).length < tapCount && Date.now() < deadline)
      await sleep(100);
    // The last screens reach the page a little after the last tap's log line.
    if (watcher) await sleep(1000);
    const latencies = journalledLatencies(daemon.records, written);
    if (latencies.length < tapCount) {
      throw new Error(
        `only ${latencies.length} of ${tapCount} taps were journalled in ${scenario.name}`,
      );
    }
    let kioskEvents: Summary | null = null;
    if (watcher) {
      const seen = watcher.firstSeen;
      const samples = [...writtenAt].flatMap(([email, at]) => {
        const shown = seen.get(email);
        return shown === undefined ? [] : [shown - at];
      });
      if (samples.length < writtenAt.size) {
        throw new Error(
          `the kiosk page showed ${samples.length} of ${writtenAt.size} people tapped in ${scenario.name}`,
        );
      }
      kioskEvents = summarize(samples);
    }
    const bus = daemon.records.filter((record) => record.msg === "bench display bus").at(-1);
    return {
      name: scenario.name,
      display: scenario.display,
      taps: summarize(latencies),
      kioskEvents,
      busWrites: Number(bus?.writes ?? 0),
      busBusyMs: Number(bus?.busyMs ?? 0),
    };
  } finally {
    watcher?.close();
    if (host !== undefined) closeSync(host);
    await daemon?.stop("SIGTERM");
    await daemon?.closed;
    await pty.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
