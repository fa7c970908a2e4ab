import { closeSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startPtyPair } from "../../bench/pty-pair.js";
import { rdm6300Frame } from "../../bench/rdm6300-frame.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { SEED_ADMIN } from "../../src/simulator/index.js";
import { databasePath } from "../../src/store/database.js";
import { runCaptured } from "../helpers/cli.js";
import { atEnd, mapBadges, site } from "./daemon-site.js";

const ready = (r: { msg: string }) => r.msg === "terminal ready";
const users = Array.from({ length: 8 }, (_, i) => `worker${i}@gtsandbox.en`);
const badges = users.map((email, i) => ({
  badgeId: `0E000000${String(i).padStart(2, "0")}`,
  email,
}));

function unbooked(dataDir: string): number {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    return (
      db
        .prepare("SELECT count(*) AS n FROM entries WHERE state IN ('held', 'pending', 'sending')")
        .get() as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

async function drained(dataDir: string): Promise<void> {
  for (let i = 0; i < 300 && unbooked(dataDir) > 0; i++) await sleep(100);
  expect(unbooked(dataDir)).toBe(0);
}

describe("backup and restore with a running terminal", () => {
  it("copies while taps arrive, refuses to restore under the daemon, and books nothing twice after a restore", async () => {
    const s0 = await site({ users });
    const pty = await startPtyPair(s0.dir);
    atEnd(() => pty.close());
    const s = await site({
      users,
      dataDir: s0.dataDir,
      extra: { reader: { type: "serial", path: pty.devicePath, repeatSuppressMs: 0 } },
    });
    const host = openSync(pty.hostPath, "w");
    atEnd(async () => closeSync(host));
    const tap = (i: number) => writeSync(host, rdm6300Frame(badges[i]?.badgeId ?? ""));
    mapBadges(s.dataDir, badges);
    // GoodTime answers 503 until cleared: the shifts wait in the outbox while the copy is taken.
    s.sim.faults.failNext(100_000, 503, { retryAfter: 1, path: "createtimeentry" });
    const daemon = s.start();
    await daemon.waitFor(ready, "readiness");
    for (const i of [0, 1, 0, 1]) {
      tap(i);
      await sleep(60);
    }
    await daemon.waitFor(
      (r) => r.outcome === "clock-out" && r.badge === badges[1]?.badgeId,
      "two shifts",
    );

    const file = join(s.dir, "copy.db");
    let tapping = true;
    const during = (async () => {
      for (let n = 0; tapping; n++) {
        tap(2 + (n % 4));
        await sleep(15);
      }
    })();
    const backup = await runCaptured(["--config", s.configPath, "backup", "--to", file]);
    tapping = false;
    await during;
    expect(backup).toMatchObject({ code: 0, stderr: "" });
    expect(backup.stdout).toMatch(
      /^backup written to .*copy\.db: \d+ KiB, schema version \d+; rows: /,
    );

    for (const i of [6, 7, 6, 7]) {
      tap(i);
      await sleep(60);
    }
    const refused = await runCaptured(["--config", s.configPath, "restore", file]);
    expect(refused.code).toBe(ExitCode.dataDirBusy);
    expect(refused.stderr).toContain("another timeclock process holds the data directory");

    s.sim.faults.clear();
    await drained(s.dataDir);
    const booked = s.sim.state.entries().filter((e) => e.userEmail !== SEED_ADMIN.loginEmail);
    expect(booked.length).toBeGreaterThanOrEqual(4);
    expect((await daemon.stop("SIGTERM")).code).toBe(0);

    const restored = await runCaptured(["--config", s.configPath, "restore", file]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/will be looked up on GoodTime before they are sent/);
    expect(restored.stdout).toMatch(/the database in use before is kept as .*before-restore/);

    const again = s.start();
    await again.waitFor(ready, "readiness after the restore");
    await drained(s.dataDir);
    const after = s.sim.state.entries().filter((e) => e.userEmail !== SEED_ADMIN.loginEmail);
    expect(after.map((e) => e.id).sort()).toEqual(booked.map((e) => e.id).sort());
    expect(
      again.records.filter((r) => r.msg.startsWith("entry was already on the server")).length,
    ).toBeGreaterThanOrEqual(2);
    expect(again.records.filter((r) => r.msg === "entry booked")).toEqual([]);
  });
});

describe("rotating copies in backup.path", () => {
  it("writes a copy at start when the newest is old, keeps backup.keep of them, and status shows it", async () => {
    const s0 = await site();
    const backups = join(s0.dir, "backups");
    mkdirSync(backups);
    for (const stamp of ["20250101-000000Z", "20250102-000000Z", "20250103-000000Z"]) {
      writeFileSync(join(backups, `timeclock-${stamp}.db`), "old copy");
    }
    writeFileSync(join(backups, "notes.txt"), "not a copy");
    const s = await site({
      dataDir: s0.dataDir,
      extra: { backup: { path: backups, every: "6h", keep: 2 } },
    });
    mapBadges(s.dataDir);
    const daemon = s.start();
    const written = await daemon.waitFor((r) => r.msg === "backup written", "the first copy");
    const files = readdirSync(backups).sort();
    expect(files).toHaveLength(3);
    expect(files).toContain("notes.txt");
    expect(files).toContain("timeclock-20250103-000000Z.db");
    const copy = new Database(String(written.file), { readonly: true });
    expect(copy.prepare("SELECT count(*) AS n FROM badges").get()).toEqual({ n: 2 });
    copy.close();
    const status = await runCaptured(["--config", s.configPath, "status"]);
    // status wraps its lines at 80 columns; the words are what counts.
    const text = status.stdout.replace(/\s+/g, " ");
    expect(text).toMatch(
      new RegExp(`backup every 6h to ${backups}; last .*timeclock-\\d{8}-\\d{6}Z\\.db`),
    );
    expect(text).toContain("is on the same device as the journal");
  });

  it("warns in status when backup.path is missing (an unmounted stick) and takes taps all the same", async () => {
    const s0 = await site();
    const s = await site({
      dataDir: s0.dataDir,
      extra: { backup: { path: join(s0.dir, "usb-stick"), every: "1h", keep: 3 } },
    });
    mapBadges(s.dataDir);
    const daemon = s.start();
    await daemon.waitFor((r) => r.level === "warn" && r.part === "backup", "the warning");
    await daemon.waitFor(ready, "readiness");
    s.tap(daemon, "0F00A1B2C3");
    await daemon.waitFor((r) => r.outcome === "clock-in", "a tap");
    const status = await runCaptured(["--config", s.configPath, "status"]);
    expect(status.stdout.replace(/\s+/g, " ")).toMatch(
      /WARNING: backup: backup.path .*usb-stick cannot be used \(ENOENT\): is the USB stick or share mounted\?/,
    );
  });
});
