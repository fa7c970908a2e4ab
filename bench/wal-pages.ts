import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../src/config/load.js";
import { systemClock } from "../src/core/clock.js";
import { silentLogger } from "../src/core/logger.js";
import { databasePath, openDatabase } from "../src/store/database.js";
import { Terminal } from "../src/terminal/terminal.js";
import { type BenchUser, daemonConfig, insertHistory, mapBadges } from "./fixtures.js";
import { rdm6300Frame } from "./rdm6300-frame.js";

export interface WalPages {
  historyTaps: number;
  taps: number;
  /** WAL frames (one page each) appended per tap, over all b-trees. */
  framesPerTap: number;
  /** Bytes appended to the WAL per tap: frames times (page size + 24-byte frame header). */
  walBytesPerTap: number;
  /** Frames per tap by the table or index the page belongs to. */
  byTree: Record<string, number>;
}

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/**
 * Which pages a tap's transaction writes. Taps go straight into the Terminal (the reader does not
 * change what is written) with the WAL's automatic checkpoint off on this connection, so that
 * every frame stays in the file; each frame's page is then named by SQLite's dbstat table.
 */
export function measureWalPages(
  root: string,
  users: readonly BenchUser[],
  taps: number,
  history: { taps: number; random: () => number } = { taps: 0, random: Math.random },
): WalPages {
  const dir = mkdtempSync(join(root, "wal-"));
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger(), check: false });
  try {
    mapBadges(db, systemClock, users);
    if (history.taps > 0) insertHistory(db, users, history.taps, new Date(), history.random);
    db.pragma("wal_autocheckpoint = 0");
    db.pragma("wal_checkpoint(TRUNCATE)");
    const config = parseConfig(
      daemonConfig({
        dataDir,
        serverUrl: "http://127.0.0.1:9/goodtime-rs",
        reader: { type: "serial", path: "/dev/null" },
        concurrency: 2,
      }),
      "benchmark config",
    );
    const terminal = new Terminal({
      db,
      config,
      clock: systemClock,
      logger: silentLogger(),
      feedback: { signal() {}, setBacklog() {} },
      onEntryQueued: () => {},
      clockReading: () => ({ synced: true, bootId: "bench" }),
      source: "serial:bench",
    });
    for (let i = 0; i < taps; i++) {
      const user = users[i % users.length] as BenchUser;
      terminal.handleRead({
        badgeId: user.badgeId,
        knownBits: 40,
        raw: rdm6300Frame(user.badgeId).toString("latin1"),
      });
    }
    const wal = readFileSync(`${databasePath(dataDir)}-wal`);
    const pageSize = wal.readUInt32BE(8);
    const frameBytes = FRAME_HEADER_BYTES + pageSize;
    const frames = Math.floor((wal.length - WAL_HEADER_BYTES) / frameBytes);
    const owner = new Map(
      (
        db.prepare("SELECT name, pageno FROM dbstat").all() as { name: string; pageno: number }[]
      ).map((row) => [row.pageno, row.name]),
    );
    const byTree: Record<string, number> = {};
    for (let i = 0; i < frames; i++) {
      const page = wal.readUInt32BE(WAL_HEADER_BYTES + i * frameBytes);
      const name = owner.get(page) ?? "free or new page";
      byTree[name] = (byTree[name] ?? 0) + 1 / taps;
    }
    return {
      historyTaps: history.taps,
      taps,
      framesPerTap: frames / taps,
      walBytesPerTap: (frames * frameBytes) / taps,
      byTree,
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
