import { chownSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { AdminEventLog } from "../../src/store/admin-events.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { lockDataDir } from "../../src/store/lock.js";
import { Outbox } from "../../src/store/outbox.js";
import type { RuntimeStatus } from "../../src/store/runtime-status.js";
import {
  type TerminalStatusDocuments,
  terminalStatus,
} from "../../src/terminal/status-documents.js";
import { harness } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

const HOUR = 3_600_000;
const ANNA = "0F00A1B2C3";
const BEN = "1100A1B2C4";
const CLARA = "2200A1B2C5";

/** Three finished shifts (anna, ben, clara), as the daemon would journal them. */
function seeded() {
  const h = harness({ now: "2026-03-10T07:00:00Z" });
  const db = h.openDb();
  const badges = new BadgeRepository(db, h.clock);
  badges.put({ badgeId: ANNA, knownBits: 40, email: "anna@example.com", name: "Anna" });
  badges.put({ badgeId: BEN, knownBits: 40, email: "ben@example.com" });
  badges.put({ badgeId: CLARA, knownBits: 40, email: "clara@example.com" });
  const tap = tapper(db, h.clock);
  for (const badge of [ANNA, BEN, CLARA]) {
    tap(badge);
    h.clock.advance(60_000);
  }
  h.clock.advance(8 * HOUR);
  const ids: Record<string, string> = {};
  for (const [name, badge] of [
    ["anna", ANNA],
    ["ben", BEN],
    ["clara", CLARA],
  ] as const) {
    const entry = tap(badge).entry;
    if (!entry) throw new Error(`no entry for ${name}`);
    ids[name] = entry.id;
    h.clock.advance(60_000);
  }
  const outbox = new Outbox(db);
  const refused = { message: "422 time type not allowed for this user", code: "GT_REFUSED" };
  outbox.markRefused(ids.ben as string, refused, h.clock.now());
  outbox.markBooked(ids.clara as string, "srv-7", h.clock.now());
  return { h, db, tap, outbox, ids: ids as { anna: string; ben: string; clara: string } };
}

function publishHealthy(
  status: RuntimeStatus<TerminalStatusDocuments>,
  now: Date,
  pid = process.pid,
) {
  status.write("terminal", { pid, startedAt: "2026-03-10T06:00:00Z", name: "door" }, now);
  status.write(
    "reader",
    { type: "serial", device: "/dev/ttyAMA0", state: "open", counters: { reads: 6 } },
    now,
  );
  status.write(
    "sync",
    { phase: "idle", lastBookedAt: null, lastError: null, pausedUntil: null, pauseReason: null },
    now,
  );
  status.write(
    "clock",
    { synchronized: true, source: "chrony", bootId: "b", checkedAt: now.toISOString() },
    now,
  );
}

describe("timeclock status", () => {
  it("says so when the terminal never ran on this database", async () => {
    const h = harness();
    const result = await h.cli("status");
    expect(result.code).toBe(ExitCode.critical);
    expect(result.stdout).toMatch(/^CRITICAL: the terminal has never run on this database/);
  });

  it("shows the running terminal with the most urgent thing first", async () => {
    const { h, db, tap } = seeded();
    const lock = await lockDataDir(h.dataDir, "test: a running daemon");
    onTestFinished(() => lock.release());
    const status = terminalStatus(db);
    publishHealthy(status, h.clock.now());
    status.write(
      "reader",
      { type: "serial", device: "/dev/ttyAMA0", state: "reconnecting", counters: { reads: 6 } },
      h.clock.now(),
    );
    tap(ANNA);
    const result = await h.cli("status");
    expect(result.code).toBe(ExitCode.critical);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("CRITICAL: reader /dev/ttyAMA0 is reconnecting: badges are not read");
    expect(lines[1]).toMatch(/^WARNING: 1 entry was refused by GoodTime/);
    expect(result.stdout).toMatch(
      new RegExp(`terminal +door, pid ${process.pid} running, started 2026-03-10 07:00 \\+01:00`),
    );
    expect(result.stdout).toContain(
      "entries      held 0, pending 1, sending 0, booked 1, refused 1, discarded 0",
    );
    expect(result.stdout).toContain("anna@example.com (Anna) since 2026-03-10 16:06 +01:00");
    expect(result.stdout).toContain("clock        synchronised (chrony)");
  });

  it("tells a killed daemon from a live one by the data directory's lock, not by a reused pid", async () => {
    const { h, db } = seeded();
    // The daemon was SIGKILLed and its pid now belongs to a live process: this test's own.
    publishHealthy(terminalStatus(db), h.clock.now(), process.pid);
    const result = await h.cli("status", "--json");
    const json = JSON.parse(result.stdout);
    expect(json.daemon).toMatchObject({ pid: process.pid, running: false });
    expect(json.attention[0]).toMatchObject({ severity: "critical" });
    expect(json.attention[0].message).toContain(
      `the terminal is not running (no process holds its data directory; it last ran as pid ${process.pid})`,
    );
    expect(json.entries).toEqual({
      held: 0,
      pending: 1,
      sending: 0,
      booked: 1,
      refused: 1,
      discarded: 0,
    });
    expect(json.lastBookedAt).toBe("2026-03-10T15:06:00.000Z");
  });
});

describe("timeclock queue", () => {
  it("lists the unfinished entries by default, with the booked local shift and its hours", async () => {
    const { h, ids } = seeded();
    const result = await h.cli("queue");
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trim().split("\n");
    expect(header).toMatch(/^id +user +shift +hours +state +attempts +project$/);
    expect(rows).toEqual([
      expect.stringMatching(
        new RegExp(`^${ids.anna} +anna@example.com +2026-03-10 08:00–16:03 +8.05 +pending +0 +-$`),
      ),
      expect.stringMatching(
        new RegExp(`^${ids.ben} +ben@example.com +2026-03-10 08:01–16:04 +8.05 +refused +0 +-$`),
      ),
      "    last error: 422 time type not allowed for this user [GT_REFUSED]",
      "(shifts as booked in GoodTime, times in Europe/Berlin)",
    ]);
  });

  it("filters by state, limits, and prints JSON", async () => {
    const { h, ids } = seeded();
    const booked = JSON.parse((await h.cli("queue", "--state", "booked", "--json")).stdout);
    expect(booked).toMatchObject([{ id: ids.clara, state: "booked", serverId: "srv-7" }]);
    const all = JSON.parse(
      (await h.cli("queue", "--state", "all", "--limit", "2", "--json")).stdout,
    );
    expect(all.map((entry: { id: string }) => entry.id)).toEqual([ids.anna, ids.ben]);
  });

  it.each([
    [["--state", "lost"], "argument 'lost' is invalid. Allowed choices are held, pending"],
    [["--limit", "0"], '"0" is not a whole number of 1 or more'],
  ])("refuses %j as a usage error", async (argv, message) => {
    const { h } = seeded();
    const result = await h.cli("queue", ...argv);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain(message);
  });
});

describe("timeclock retry and discard", () => {
  it("puts a refused entry back in line and records it", async () => {
    const { h, outbox, ids, db } = seeded();
    const result = await h.cli("retry", ids.ben);
    expect(result).toMatchObject({ code: 0, stdout: "1 entry put back in line to be booked\n" });
    expect(outbox.get(ids.ben)?.state).toBe("pending");
    expect(new AdminEventLog(db).list().at(-1)).toMatchObject({
      action: "entry.retry",
      subject: ids.ben,
    });
  });

  it("retries every refused entry with --all-refused", async () => {
    const { h, outbox, ids } = seeded();
    outbox.markRefused(ids.anna, { message: "no", code: "GT_REFUSED" }, h.clock.now());
    const result = await h.cli("retry", "--all-refused");
    expect(result.stdout).toBe("2 entries put back in line to be booked\n");
    expect(outbox.counts()).toMatchObject({ pending: 2, refused: 0 });
  });

  it.each([
    [["retry", "nope"], ExitCode.notFound, 'entry "nope" does not exist'],
    [
      ["retry", "@anna"],
      ExitCode.conflict,
      "is pending, not refused; only refused entries can be retried",
    ],
    [["retry"], ExitCode.usage, "name one entry id or give --all-refused"],
    [["retry", "@ben", "--all-refused"], ExitCode.usage, "not both"],
    [["discard", "@anna"], ExitCode.usage, "required option '--reason <text>' not specified"],
    [["discard", "@anna", "--reason", "  "], ExitCode.usage, "--reason is empty"],
    [["discard", "nope", "--reason", "x"], ExitCode.notFound, 'entry "nope" does not exist'],
    [
      ["discard", "@clara", "--reason", "x"],
      ExitCode.conflict,
      "is booked and cannot be discarded: it is already booked in GoodTime as srv-7; delete it there with timeclock server delete srv-7",
    ],
  ])("refuses %j", async (argv, code, message) => {
    const { h, ids } = seeded();
    const named = argv.map((arg) =>
      arg.startsWith("@") ? ids[arg.slice(1) as keyof typeof ids] : arg,
    );
    const result = await h.cli(...named);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });

  it("discards an entry, keeps it in the outbox, and records the reason", async () => {
    const { h, outbox, ids, db } = seeded();
    const result = await h.cli("discard", ids.ben, "--reason", "booked by hand in GoodTime");
    expect(result).toMatchObject({ code: 0 });
    expect(outbox.get(ids.ben)).toMatchObject({ state: "discarded", email: "ben@example.com" });
    expect(new AdminEventLog(db).list().at(-1)).toMatchObject({
      action: "entry.discard",
      subject: ids.ben,
      detail: { reason: "booked by hand in GoodTime", previousState: "refused" },
    });
    const again = await h.cli("discard", ids.ben, "--reason", "again");
    expect(again.code).toBe(ExitCode.conflict);
    expect(again.stderr).toContain("is discarded and cannot be discarded: it is already discarded");
  });
});

describe("admin command help", () => {
  it.each([
    ["status"],
    ["queue"],
    ["retry"],
    ["discard"],
    ["review"],
    ["review", "book"],
    ["review", "discard"],
    ["export"],
  ])("describes timeclock %s", async (...path) => {
    const h = harness();
    const result = await h.cli(...path, "--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^Usage: timeclock ${path.join(" ")} [^\\n]*\\n\\n[a-z]+ [^\\n]{20,}`),
    );
  });
});

describe("running as root", () => {
  it.runIf(process.getuid?.() === 0)(
    "refuses to touch a database that belongs to the terminal's user",
    async () => {
      const h = harness();
      expect((await h.cli("queue")).code).toBe(0);
      chownSync(join(h.dataDir, "timeclock.db"), 65534, 65534);
      const result = await h.cli("badges", "add", "0F00A1B2C3", "anna@example.com");
      expect(result.code).toBe(ExitCode.wrongUser);
      expect(result.stderr).toContain("belongs to uid 65534 but this command runs as root");
      expect(result.stderr).toContain("sudo -u timeclock timeclock");
    },
  );
});
