import { copyFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fillDisk } from "../../bench/disk.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { silentLogger } from "../../src/core/logger.js";
import { databasePath, openDatabase } from "../../src/store/database.js";
import { runCaptured } from "../helpers/cli.js";
import { tmpfs, tmpfsProblem } from "../helpers/tmpfs.js";
import { ANNA_BADGE, BEN_BADGE, holdWriteLock, mapBadges, site } from "./daemon-site.js";

const skipped = tmpfsProblem ? ` (skipped: ${tmpfsProblem})` : "";
const ready = (r: { msg: string }) => r.msg === "terminal ready";

async function statusJson(configPath: string) {
  const result = await runCaptured(["--config", configPath, "status", "--json"]);
  return JSON.parse(result.stdout) as { daemon: { pid: number; running: boolean } | null };
}

describe("one daemon per data directory", () => {
  it("refuses a second run at once with exit 75, leaves the first alone, and status reads the lock", async () => {
    const s = await site();
    mapBadges(s.dataDir);
    const first = s.start();
    await first.waitFor(ready, "readiness of the first");
    expect((await statusJson(s.configPath)).daemon).toMatchObject({
      pid: first.child.pid,
      running: true,
    });

    const second = s.start();
    const exit = await second.exited;
    expect(exit.code).toBe(ExitCode.dataDirBusy);
    expect(second.stderr.join("")).toContain(
      `another timeclock process holds the data directory ${s.dataDir} (pid ${first.child.pid} (run)`,
    );
    expect(second.records.some(ready)).toBe(false);

    s.tap(first, ANNA_BADGE);
    await first.waitFor((r) => r.outcome === "clock-in", "a tap on the first daemon");

    await first.stop("SIGKILL");
    expect((await statusJson(s.configPath)).daemon).toMatchObject({
      pid: first.child.pid,
      running: false,
    });
    const third = s.start();
    await third.waitFor(ready, "readiness after the first was killed");
  });
});

describe("a database that cannot vanish", () => {
  it.each([
    ["deleted", (path: string) => rmSync(path)],
    [
      "replaced",
      (path: string) => {
        copyFileSync(path, `${path}.copy`);
        rmSync(path);
        copyFileSync(`${path}.copy`, path);
      },
    ],
  ])(
    "takes no tap into a database %s under it, and exits 90 (database missing) saying why",
    async (_, lose) => {
      const s = await site();
      mapBadges(s.dataDir);
      const daemon = s.start();
      await daemon.waitFor(ready, "readiness");
      s.tap(daemon, ANNA_BADGE);
      await daemon.waitFor((r) => r.outcome === "clock-in", "the first tap");
      lose(databasePath(s.dataDir));
      s.tap(daemon, BEN_BADGE);
      const refused = await daemon.waitFor(
        (r) => r.msg.startsWith("tap could NOT be stored"),
        "the refused tap",
      );
      expect(refused.fault).toBe("missing");
      const exit = await daemon.exited;
      expect(exit.code).toBe(ExitCode.databaseMissing);
      expect(daemon.records.filter((r) => r.msg.startsWith("tap clock"))).toHaveLength(1);
      expect(daemon.stderr.join("")).toMatch(
        /while the daemon had it open; .*timeclock restore FILE/,
      );
    },
  );
});

describe("storage faults at start: a distinct exit code, the cause and the fix", () => {
  async function startFails(dataDir: string, code: number, says: RegExp) {
    const s = await site({ dataDir });
    const daemon = s.start();
    const exit = await daemon.exited;
    expect({ code: exit.code, stderr: daemon.stderr.join("") }).toMatchObject({
      code,
      stderr: expect.stringMatching(says),
    });
    const fatal = daemon.records.find((r) => r.level === "fatal");
    expect(fatal).toMatchObject({ exitCode: code });
  }

  it("a data directory that is a file: 83", async () => {
    const s = await site();
    writeFileSync(s.dataDir, "a file");
    await startFails(s.dataDir, ExitCode.dataDirUnusable, /is a file, not a directory/);
  });

  it("a truncated database: 80, naming timeclock recover", async () => {
    const s = await site();
    mapBadges(s.dataDir);
    const db = openDatabase(s.dataDir, { logger: silentLogger() });
    const insert = db.prepare(
      "INSERT INTO admin_events (at, action, subject, detail) VALUES ('t', 'test', 's', ?)",
    );
    for (let i = 0; i < 2000; i++) insert.run("x".repeat(200));
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    truncateSync(databasePath(s.dataDir), 100 * 1024);
    await startFails(s.dataDir, ExitCode.databaseDamaged, /is damaged.*timeclock recover/);
  });

  it.skipIf(tmpfsProblem)(
    `a read-only filesystem: 81, naming remount, not chown${skipped}`,
    async () => {
      const fs = tmpfs("1m");
      const dataDir = join(fs.dir, "data");
      mapBadges(dataDir);
      fs.remountReadOnly();
      await startFails(dataDir, ExitCode.readOnlyFilesystem, /mounted read-only.*remount,rw/);
    },
  );

  it.skipIf(tmpfsProblem)(`a full disk: 82${skipped}`, async () => {
    const fs = tmpfs("256k");
    fillDisk(fs.dir);
    await startFails(join(fs.dir, "data"), ExitCode.diskFull, /is full.*Free space/);
  });
});

describe("the tap never waits on another process's write lock", () => {
  it("refuses a tap at once while the lock is held, books later, and the sync only retries", async () => {
    const s = await site();
    mapBadges(s.dataDir);
    s.sim.faults.failNext(1, 429, { retryAfter: 1, path: "createtimeentry" });
    const daemon = s.start();
    await daemon.waitFor(ready, "readiness");
    s.tap(daemon, ANNA_BADGE);
    await daemon.waitFor((r) => r.outcome === "clock-in", "the clock-in");
    s.tap(daemon, ANNA_BADGE);
    await daemon.waitFor((r) => r.outcome === "clock-out", "the clock-out");
    await daemon.waitFor((r) => r.msg === "booking failed; will retry", "the 429");

    const lock = await holdWriteLock(s.dataDir);
    s.tap(daemon, BEN_BADGE);
    const refused = await daemon.waitFor(
      (r) => r.msg.startsWith("tap could NOT be stored"),
      "the refused tap",
    );
    expect(refused.fault).toBe("busy");
    await daemon.waitFor((r) => r.msg.startsWith("outbox busy"), "the sync's short retry");
    await lock.release();

    await daemon.waitFor((r) => r.msg === "entry booked", "the booking after the lock");
    s.tap(daemon, BEN_BADGE);
    await daemon.waitFor(
      (r) => r.outcome === "clock-in" && r.user !== undefined && r.badge === BEN_BADGE,
      "Ben's tap after the lock",
    );
    expect(daemon.child.exitCode).toBe(null);
    expect(s.sim.state.entries().filter((e) => e.userEmail !== "admin@gtsandbox.en")).toHaveLength(
      1,
    );
    expect(
      daemon.records.filter((r) => r.outcome === "clock-in" && r.badge === BEN_BADGE),
    ).toHaveLength(1);
  });
});
