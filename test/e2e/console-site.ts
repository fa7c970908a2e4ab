import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { DaemonProcess } from "../../bench/daemon-process.js";
import { type PtyPair, startPtyPair } from "../../bench/pty-pair.js";
import { rdm6300Frame } from "../../bench/rdm6300-frame.js";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { PairingSettings } from "../../src/pairing/pairing.js";
import {
  SEED_ADMIN,
  SEED_TIME_TYPES,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { BadgeRepository, type NewBadge } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { TapJournal } from "../../src/store/journal.js";
import { runCaptured } from "../helpers/cli.js";
import { closedPort } from "../helpers/net.js";

export const CONSOLE_PASSWORD = "the console test password";

/** Debian's Chromium, never a downloaded one; flags for a headless run in a container. */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Screenshots land here (git-ignored), for a person to look at. */
export const SHOTS = resolve("test-output/console");

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** A shift of the past, written through the real journal before the daemon starts. */
export interface PastShift {
  badgeId: string;
  start: Date;
  end: Date;
}

/** Badges and past shifts, written through the real store before the daemon starts. */
export function seedDataDir(
  dataDir: string,
  terminalName: string,
  badges: readonly NewBadge[],
  history: readonly PastShift[],
): void {
  const db = openDatabase(dataDir, { logger: silentLogger() });
  new BadgeRepository(db, systemClock).putAll([...badges]);
  let n = 0;
  const journal = new TapJournal(db, systemClock, () => `history-${++n}`);
  const settings: PairingSettings = {
    minGapSeconds: 0,
    maxShiftHours: 12,
    minShiftSeconds: 0,
    terminalName,
    commentTemplate: "{terminal}",
    rounding: null,
  };
  for (const shift of history) {
    for (const at of [shift.start, shift.end]) {
      journal.record(
        { badgeId: shift.badgeId, knownBits: 40, raw: shift.badgeId, source: "history" },
        { at, monoMs: at.getTime(), bootId: "history", synced: true },
        settings,
        { timeTypeId: SEED_TIME_TYPES.workingHours.id, projectId: null },
      );
    }
  }
  db.close();
}

/**
 * A terminal with its console, as an admin meets it: the simulator on loopback, a socat
 * pseudo-terminal as the RDM6300 reader, `timeclock run` as a real process serving the console
 * over HTTPS on a loopback port, and Debian's Chromium driven by Playwright.
 */
export class ConsoleSite {
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
    return `https://127.0.0.1:${this.port}`;
  }

  get env(): NodeJS.ProcessEnv {
    return { TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword };
  }

  async start(setup: { badges?: NewBadge[]; history?: PastShift[] } = {}): Promise<void> {
    this.sim = await startSimulator();
    this.pty = await startPtyPair(this.dir);
    this.port = await closedPort();
    writeFileSync(
      this.configPath,
      JSON.stringify({
        terminal: {
          name: "site-door",
          dataDir: this.dataDir,
          clockTrust: "system",
          timeZone: "Europe/Berlin",
        },
        server: { baseUrl: this.sim.url, loginEmail: SEED_ADMIN.loginEmail, timeoutMs: 2000 },
        reader: {
          type: "serial",
          path: this.pty.devicePath,
          protocol: "rdm6300",
          repeatSuppressMs: 0,
        },
        entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
        pairing: { minGapSeconds: 0 },
        // Retries far apart: whatever is booked was started by what the test did.
        sync: { retryBaseMs: 600_000, retryMaxMs: 3_600_000 },
        console: { enabled: true, listen: "127.0.0.1", port: this.port, locale: "auto" },
      }),
    );
    seedDataDir(this.dataDir, "site-door", setup.badges ?? [], setup.history ?? []);
    const set = await runCaptured(["--config", this.configPath, "console", "password"], {
      env: this.env,
      stdin: `${CONSOLE_PASSWORD}\n`,
    });
    if (set.code !== 0) throw new Error(`console password: ${set.stderr}`);
    this.daemon = new DaemonProcess(this.configPath, this.env);
    await this.daemon.waitFor((line) => line.msg === "console listening", "the console", 30_000);
    this.#host = openSync(this.pty.hostPath, "w");
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SHOTS, { recursive: true });
  }

  /** A badge held to the reader: one RDM6300 frame into the pseudo-terminal. */
  tap(badgeId: string): void {
    if (this.#host === undefined) throw new Error("the site is not started");
    writeSync(this.#host, rdm6300Frame(badgeId));
  }

  /** A browser context as an admin's: the certificate is self-signed, so the test accepts it. */
  async context(
    options: {
      viewport?: { width: number; height: number };
      bypassCSP?: boolean;
      locale?: string;
    } = {},
  ): Promise<BrowserContext> {
    return this.browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: options.viewport ?? DESKTOP,
      bypassCSP: options.bypassCSP ?? false,
      locale: options.locale ?? "en-US",
      acceptDownloads: true,
    });
  }

  async login(page: Page, password = CONSOLE_PASSWORD): Promise<void> {
    await page.goto(`${this.url}/`);
    await page.getByLabel(/^(Password|Passwort)$/).fill(password);
    await page.getByRole("button", { name: /^(Log in|Anmelden)$/ }).click();
    await page.waitForURL(`${this.url}/`);
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
