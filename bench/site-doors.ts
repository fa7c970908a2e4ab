import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { SEED_ADMIN, type Simulator } from "../src/simulator/index.js";
import { siteStoreBadges } from "../src/store/site/badges.js";
import { openSitePool } from "../src/store/site/connection.js";
import { migrateSite } from "../src/store/site/migrations.js";
import { freePort } from "./console-load.js";
import { DaemonProcess } from "./daemon-process.js";
import { type BenchUser, writeDaemonConfig } from "./fixtures.js";
import { type ScratchPostgres, SITE_ROLE_PASSWORD } from "./postgres.js";
import { type PtyPair, startPtyPair } from "./pty-pair.js";
import { rdm6300Frame } from "./rdm6300-frame.js";
import { startTcpGate, type TcpGate } from "./tcp-gate.js";

/**
 * Several doors of one site for tests, the soak and the benchmarks: one real daemon each
 * (`timeclock run` in site mode), each reading an RDM6300 on its own socat pseudo-terminal, all
 * sharing a scratch PostgreSQL database and a simulator.
 */

export interface Door {
  readonly id: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly pty: PtyPair;
  /** The running daemon, if started. */
  daemon: DaemonProcess | null;
  /** Starts the daemon (again); resolves once it said it is ready. */
  start(): Promise<DaemonProcess>;
  /** Writes a badge's frame into the door's reader. */
  tap(badgeId: string): void;
  /** The environment the daemon runs with (and admin commands for this door). */
  env: NodeJS.ProcessEnv;
  /** The door's own way to the database, which a test can cut; null when not gated. */
  gate: TcpGate | null;
  /** The loopback port of the door's kiosk page (its screen), when the doors have one. */
  kioskPort: number | null;
}

export interface SiteDoors {
  doors: Door[];
  database: string;
  url: string;
  close(): Promise<void>;
}

export interface SiteDoorsOptions {
  root: string;
  postgres: ScratchPostgres;
  sim: Simulator;
  users: readonly BenchUser[];
  doors: number;
  /** Database name; a fresh one is made when not given. */
  database?: string;
  tapTimeoutMs?: number;
  leaseSeconds?: number;
  concurrency?: number;
  minGapSeconds?: number;
  retryMaxMs?: number;
  /** Each door reaches the database through a TCP gate of its own. */
  gated?: boolean;
  /** Options for each door's Node, such as the unit's TIMECLOCK_NODE_FLAGS. */
  nodeOptions?: readonly string[];
  /** Each door shows its screen as the kiosk page on a loopback port of its own. */
  kiosk?: boolean;
}

/** Maps the users' badges in the site database, as `timeclock badges import` would. */
export async function mapSiteBadges(url: string, users: readonly BenchUser[]): Promise<void> {
  const pool = openSitePool(
    {
      config: { database: url, terminalId: "setup", tapTimeoutMs: 500, leaseSeconds: 120 },
      password: SITE_ROLE_PASSWORD,
    },
    { applicationName: "timeclock setup", logger: silentLogger(), max: 1 },
  );
  try {
    await migrateSite(pool, silentLogger());
    await siteStoreBadges(
      pool,
      users.map((user) => ({ badgeId: user.badgeId, email: user.email, knownBits: 40 as const })),
      { via: "setup", actor: "setup", terminalId: "setup", at: systemClock.now() },
    );
  } finally {
    await pool.end();
  }
}

export async function startSiteDoors(options: SiteDoorsOptions): Promise<SiteDoors> {
  const database = options.database ?? (await options.postgres.createSiteDatabase());
  const url = options.postgres.siteUrl(database);
  await mapSiteBadges(url, options.users);
  const doors: Door[] = [];
  const hosts: number[] = [];
  for (let i = 0; i < options.doors; i++) {
    const id = `door-${String.fromCharCode(97 + i)}`;
    const dir = join(options.root, id);
    mkdirSync(dir, { recursive: true });
    const pty = await startPtyPair(dir);
    const host = openSync(pty.hostPath, "w");
    hosts.push(host);
    const dataDir = join(dir, "data");
    const gate = options.gated ? await startTcpGate(options.postgres.port) : null;
    const doorUrl = gate ? url.replace(`:${options.postgres.port}/`, `:${gate.port}/`) : url;
    const kioskPort = options.kiosk ? await freePort() : null;
    const configPath = writeDaemonConfig(dir, {
      dataDir,
      serverUrl: options.sim.url,
      reader: { type: "serial", path: pty.devicePath },
      concurrency: options.concurrency ?? 2,
      minGapSeconds: options.minGapSeconds ?? 0,
      retryMaxMs: options.retryMaxMs ?? 1000,
      name: id,
      site: {
        database: doorUrl,
        terminalId: id,
        ...(options.tapTimeoutMs ? { tapTimeoutMs: options.tapTimeoutMs } : {}),
        ...(options.leaseSeconds ? { leaseSeconds: options.leaseSeconds } : {}),
      },
      ...(kioskPort ? { display: { type: "kiosk", kiosk: { port: kioskPort } } } : {}),
    });
    const env = {
      TIMECLOCK_API_PASSWORD: SEED_ADMIN.apiPassword,
      TIMECLOCK_SITE_DB_PASSWORD: SITE_ROLE_PASSWORD,
    };
    const door: Door = {
      id,
      dataDir,
      configPath,
      pty,
      daemon: null,
      env,
      gate,
      kioskPort,
      async start() {
        const daemon = new DaemonProcess(configPath, env, options.nodeOptions);
        door.daemon = daemon;
        await daemon.waitFor((r) => r.msg === "terminal ready", `${id} ready`, 30_000);
        if (kioskPort) {
          await daemon.waitFor((r) => r.msg === "kiosk page listening", `${id} screen`, 30_000);
        }
        return daemon;
      },
      tap: (badgeId) => writeSync(host, rdm6300Frame(badgeId)),
    };
    doors.push(door);
  }
  return {
    doors,
    database,
    url,
    async close() {
      for (const door of doors) {
        const daemon = door.daemon;
        if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) {
          await daemon.stop("SIGKILL");
        }
        await daemon?.closed;
      }
      for (const host of hosts) closeSync(host);
      for (const door of doors) {
        await door.pty.close();
        await door.gate?.close();
      }
    },
  };
}
