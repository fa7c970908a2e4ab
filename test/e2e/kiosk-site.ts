import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { DaemonProcess } from "../../bench/daemon-process.js";
import { type PtyPair, startPtyPair } from "../../bench/pty-pair.js";
import { rdm6300Frame } from "../../bench/rdm6300-frame.js";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import type { NewBadge } from "../../src/store/badges.js";
import { closedPort } from "../helpers/net.js";
import { CHROMIUM, type PastShift, seedDataDir } from "./console-site.js";

/** Screenshots of every state of the kiosk page land here (git-ignored), for a person to look at. */
export const KIOSK_SHOTS = resolve("test-output/kiosk");

/** The official 7" touchscreen, and a larger HDMI screen. */
export const SCREENS = {
  touch7: { width: 800, height: 480 },
  hdmi: { width: 1280, height: 800 },
} as const;

/** Kiosk mode as timeclock-kiosk.service starts it, headless for the test. */
const KIOSK_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--kiosk",
];

/**
 * A terminal with its screen at the door, as an employee meets it: the simulator on loopback, a
 * socat pseudo-terminal as the RDM6300 reader, `timeclock run` as a real process whose console
 * process serves the kiosk page on loopback, and Debian's Chromium showing it.
 */
export class KioskSite {
  readonly dir: string;
  readonly dataDir: string;
  readonly configPath: string;
  sim!: Simulator;
  pty!: PtyPair;
  daemon!: DaemonProcess;
  browser!: Browser;
  port = 0;
  #host: number | undefined;

  constructor(dir: string) {
    this.dir = dir;
    this.dataDir = join(dir, "data");
    this.configPath = join(dir, "config.json");
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  async start(setup: {
    badges: NewBadge[];
    history?: PastShift[];
    display?: Record<string, unknown>;
    /** Keys of display.kiosk besides its port, e.g. pin. */
    kiosk?: Record<string, unknown>;
    minGapSeconds: number;
  }): Promise<void> {
    this.sim = await startSimulator();
    this.pty = await startPtyPair(this.dir);
    this.port = await closedPort();
    writeFileSync(
      this.configPath,
      JSON.stringify({
        terminal: {
          name: "kiosk-door",
          dataDir: this.dataDir,
          clockTrust: "system",
          timeZone: "Europe/Berlin",
          locale: "en",
        },
        server: { baseUrl: this.sim.url, loginEmail: SEED_ADMIN.loginEmail, timeoutMs: 2000 },
        reader: {
          type: "serial",
          path: this.pty.devicePath,
          protocol: "rdm6300",
          repeatSuppressMs: 0,
        },
        entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
        pairing: { minGapSeconds: setup.minGapSeconds },
        sync: { retryBaseMs: 600_000, retryMaxMs: 3_600_000 },
        feedback: { keyWindowSeconds: 60 },
        display: {
          type: "kiosk",
          holdSeconds: 60,
          kiosk: { port: this.port, ...setup.kiosk },
          ...setup.display,
        },
      }),
    );
    seedDataDir(this.dataDir, "kiosk-door", setup.badges, setup.history ?? []);
    await this.startDaemon();
    this.#host = openSync(this.pty.hostPath, "w");
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: KIOSK_ARGS });
    mkdirSync(KIOSK_SHOTS, { recursive: true });
  }

  async startDaemon(): Promise<void> {
    this.daemon = new DaemonProcess(this.configPath, {
      TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword,
    });
    await this.daemon.waitFor(
      (line) => line.msg === "kiosk page listening",
      "the kiosk page",
      30_000,
    );
  }

  /** Changes keys of the config's display and terminal sections, for the next daemon start. */
  reconfigure(change: (config: Record<string, Record<string, unknown>>) => void): void {
    const config = JSON.parse(readFileSync(this.configPath, "utf8"));
    change(config);
    writeFileSync(this.configPath, JSON.stringify(config));
  }

  async restartDaemon(): Promise<void> {
    await this.daemon.stop();
    await this.daemon.closed;
    await this.startDaemon();
  }

  /** A badge held to the reader: one RDM6300 frame into the pseudo-terminal. */
  tap(badgeId: string): void {
    if (this.#host === undefined) throw new Error("the site is not started");
    writeSync(this.#host, rdm6300Frame(badgeId));
  }

  /** The page as the kiosk's Chromium shows it, at one of the screens' sizes. */
  async page(viewport: { width: number; height: number }, locale = "en-GB"): Promise<Page> {
    const context = await this.browser.newContext({ viewport, locale, hasTouch: true });
    const page = await context.newPage();
    await page.goto(this.url);
    return page;
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    if (this.#host !== undefined) closeSync(this.#host);
    await this.daemon?.stop();
    await this.daemon?.closed;
    await this.pty?.close();
    await this.sim?.close();
  }
}
