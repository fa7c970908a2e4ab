import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import type { GoodTimeClient } from "../../src/goodtime/client.js";
import {
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { type Db, openDatabase } from "../../src/store/database.js";
import { Outbox } from "../../src/store/outbox.js";
import { sqliteBookingQueue } from "../../src/sync/booking-queue.js";
import { type SyncState, SyncWorker } from "../../src/sync/sync-worker.js";
import { clientFor } from "../goodtime/support.js";
import { queueEntries, type SeedEntry, shiftsFor } from "../helpers/outbox-seed.js";
import { tempDir } from "../helpers/temp.js";

const WORK = SEED_TIME_TYPES.workingHours.id;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  sim: Simulator;
  db: Db;
  outbox: Outbox;
  worker: SyncWorker;
  states: SyncState[];
  client: GoodTimeClient;
}

async function rig(
  entries: SeedEntry[],
  options: { concurrency?: number; password?: string } = {},
): Promise<Rig> {
  const sim = await startSimulator();
  cleanups.push(() => sim.close());
  const db = openDatabase(tempDir(), { logger: silentLogger() });
  cleanups.push(() => void db.close());
  queueEntries(db, entries);
  const outbox = new Outbox(db);
  const client = clientFor(sim.url, {
    timeoutMs: 1000,
    ...(options.password ? { apiPassword: options.password } : {}),
  });
  cleanups.push(() => client.close());
  const states: SyncState[] = [];
  const worker = new SyncWorker({
    queue: sqliteBookingQueue(outbox),
    client,
    clock: systemClock,
    logger: silentLogger(),
    settings: {
      concurrency: options.concurrency ?? 2,
      baseMs: 20,
      maxMs: 200,
      authRetryMs: 100,
      sendComment: true,
    },
    onState: (state) => states.push(state),
  });
  cleanups.push(() => worker.stop());
  return { sim, db, outbox, worker, states, client };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const allBooked = (outbox: Outbox) => () => {
  const counts = outbox.counts();
  return counts.pending + counts.sending + counts.held === 0;
};

/** Every local entry booked once, and every server entry traced to exactly one local entry. */
function expectExactlyOnce(sim: Simulator, outbox: Outbox, expected: number): void {
  const local = outbox.list(undefined, 100_000);
  const remote = sim.state.entries();
  expect(remote).toHaveLength(expected);
  expect(local.filter((e) => e.state === "booked")).toHaveLength(expected);
  expect(new Set(local.map((e) => e.serverId))).toEqual(new Set(remote.map((e) => e.id)));
}

describe("sync worker against the simulator", () => {
  it("books each user's entries in start order, users in parallel", async () => {
    const entries = shiftsFor([SEED_USERS.anna, SEED_USERS.ben, SEED_USERS.clara], 4, WORK);
    const { sim, outbox, worker } = await rig(entries);
    sim.faults.setLatency(20);
    worker.start();
    await until(allBooked(outbox), "all entries booked");
    expectExactlyOnce(sim, outbox, 12);
    for (const email of [SEED_USERS.anna, SEED_USERS.ben, SEED_USERS.clara]) {
      const booked = outbox.list("booked").filter((e) => e.email === email);
      const byBookingTime = [...booked].sort(
        (a, b) => (a.bookedAt?.getTime() ?? 0) - (b.bookedAt?.getTime() ?? 0),
      );
      expect(byBookingTime.map((e) => e.id)).toEqual(booked.map((e) => e.id));
    }
  });

  it("pauses on 503s for the time Retry-After asks, looks the sent entry up, and books once", async () => {
    const { sim, outbox, worker, states } = await rig(shiftsFor([SEED_USERS.anna], 1, WORK));
    sim.faults.failNext(2, 503, { retryAfter: 1, path: /createtimeentry/ });
    worker.start();
    await until(() => worker.state().phase === "paused-endpoint", "the pause");
    expect(worker.state().pauseReason).toContain("GoodTime failed (503 from POST");
    expect(outbox.list()[0]).toMatchObject({
      state: "pending",
      lastErrorCode: "GT_SERVER_ERROR",
      // A 503 is no verdict: the request may have been carried out before the service failed.
      ambiguous: true,
    });
    await until(allBooked(outbox), "the entry booked");
    expectExactlyOnce(sim, outbox, 1);
    expect(outbox.list()[0]?.attempts).toBe(3);
    const paths = sim.state.requests().map((r) => `${r.path.split("/").at(-1)} ${r.status}`);
    expect(paths).toEqual([
      "login 200",
      "createtimeentry 503",
      "timeentries 200",
      "createtimeentry 503",
      "timeentries 200",
      "createtimeentry 200",
    ]);
    expect(states.filter((s) => s.phase === "paused-endpoint")).toHaveLength(2);
    const pause = states.find((s) => s.phase === "paused-endpoint");
    const pausedMs = Date.parse(pause?.pausedUntil ?? "") - Date.parse(pause?.lastError?.at ?? "");
    // Retry-After (1 s) is a floor, capped at 4 × retryMaxMs (200 ms here).
    expect(pausedMs).toBeGreaterThanOrEqual(800);
    expect(worker.state()).toMatchObject({ phase: "idle", pausedUntil: null, pauseReason: null });
  });

  it.each([
    ["a portal's page to the login", { kind: "html" }, "login", "GT_NOT_API"],
    ["a redirect to the lookup", { kind: "redirect" }, "timeentries", "GT_REDIRECT"],
    ["garbage to the lookup", { kind: "garbage" }, "timeentries", "GT_BAD_RESPONSE"],
    [
      "a portal's page (404) to a create",
      { kind: "html", status: 404 },
      "createtimeentry",
      "GT_NOT_FOUND",
    ],
  ] as const)(
    "pauses on %s, parks nothing, and books every entry once",
    async (_n, answer, path, code) => {
      const entries = shiftsFor([SEED_USERS.anna, SEED_USERS.ben], 2, WORK);
      const { sim, outbox, worker } = await rig(entries);
      if (path === "timeentries") {
        // A lookup happens only for an entry that may be on the server already.
        sim.faults.dropNext(1, "after-commit", { path: /createtimeentry/ });
      }
      sim.faults.answerNext(3, answer, { path });
      worker.start();
      await until(() => worker.state().phase === "paused-endpoint", "the pause");
      expect(worker.state().lastError?.code).toBe(code);
      expect(outbox.counts().refused).toBe(0);
      await until(allBooked(outbox), "every entry booked");
      expectExactlyOnce(sim, outbox, entries.length);
      expect(outbox.counts().refused).toBe(0);
    },
  );

  it("parks an entry whose user GoodTime does not know, after a lookup that says so", async () => {
    const entries = shiftsFor(["nobody@gtsandbox.en", SEED_USERS.ben], 1, WORK);
    const { sim, outbox, worker } = await rig(entries);
    // The first send of every entry loses its answer, so each is looked up before the next.
    sim.faults.dropNext(2, "before-commit", { path: /createtimeentry/ });
    worker.start();
    await until(
      () => outbox.counts().refused === 1 && outbox.counts().booked === 1,
      "the verdicts",
    );
    const parked = outbox.list("refused")[0];
    expect(parked).toMatchObject({ email: "nobody@gtsandbox.en", ambiguous: false });
    expect(parked?.lastError).toContain("is not a user of this account");
    expect(worker.state().phase).toBe("idle");
    expect(
      sim.state.requests().some((r) => r.path.endsWith("timeentries") && r.status === 404),
    ).toBe(true);
  });

  it.each(["after-commit", "before-commit"] as const)(
    "a connection dropped %s is looked up before sending again, never doubled",
    async (when) => {
      const entries = shiftsFor([SEED_USERS.anna, SEED_USERS.ben], 3, WORK);
      const { sim, outbox, worker } = await rig(entries);
      sim.faults.dropNext(3, when, { path: /createtimeentry/ });
      worker.start();
      await until(allBooked(outbox), "all entries booked");
      expectExactlyOnce(sim, outbox, 6);
      expect(sim.state.requests().some((r) => r.path.includes("timeentries"))).toBe(true);
    },
  );

  it("looks an entry up as it was sent, after an admin changed its user, and adopts it", async () => {
    const [entry] = shiftsFor([SEED_USERS.anna], 1, WORK);
    if (!entry) throw new Error("fixture");
    const { sim, outbox, worker, client, db } = await rig([entry]);
    const sent = {
      userEmail: SEED_USERS.anna,
      start: entry.start,
      end: entry.end,
      timeTypeId: WORK,
      projectId: null,
      comment: "sent before the crash",
    };
    outbox.markSending(entry.id, sent, new Date());
    // The request reached GoodTime; then the terminal died, and an admin mapped the badge anew.
    const { id } = await client.createTimeEntry(sent);
    db.prepare("UPDATE entries SET email = ?, comment = 'edited' WHERE id = ?").run(
      SEED_USERS.ben,
      entry.id,
    );
    worker.start();
    await until(allBooked(outbox), "the entry settled");
    expect(outbox.get(entry.id)).toMatchObject({ state: "booked", serverId: id, ambiguous: false });
    expect(sim.state.entries()).toHaveLength(1);
  });

  it("looks up a rounded entry by the span it was booked as, so a lost answer never doubles it", async () => {
    const [entry] = shiftsFor([SEED_USERS.anna], 1, WORK, Date.parse("2026-03-02T06:20:00Z"), 400);
    if (!entry) throw new Error("fixture");
    entry.rounding = {
      start: { stepMinutes: 60, direction: "down" },
      end: { stepMinutes: 60, direction: "up" },
      zone: "Europe/Berlin",
    };
    const { sim, outbox, worker } = await rig([entry]);
    sim.faults.dropNext(1, "after-commit", { path: /createtimeentry/ });
    worker.start();
    await until(allBooked(outbox), "the entry booked");
    expectExactlyOnce(sim, outbox, 1);
    expect(sim.state.entries()[0]).toMatchObject({
      start: new Date("2026-03-02T06:00:00Z"),
      end: new Date("2026-03-02T13:00:00Z"),
    });
  });

  it("parks an entry the server refuses, with its reason, and goes on with the user's later ones", async () => {
    const entries = shiftsFor([SEED_USERS.anna], 3, WORK);
    const bad = entries[1];
    if (!bad) throw new Error("fixture");
    bad.timeTypeId = "00000000-0000-4000-8000-000000000000";
    const { sim, outbox, worker } = await rig(entries);
    worker.start();
    await until(allBooked(outbox), "the queue to settle");
    expect(outbox.counts()).toMatchObject({ booked: 2, refused: 1 });
    const parked = outbox.get(bad.id);
    expect(parked?.lastErrorCode).toBe("GT_REFUSED");
    expect(parked?.lastError).toContain("00000000-0000-4000-8000-000000000000");
    expect(sim.state.entries()).toHaveLength(2);
  });

  it("re-logs in when every token expires and books on", async () => {
    const { sim, outbox, worker } = await rig(
      shiftsFor([SEED_USERS.anna, SEED_USERS.ben], 4, WORK),
    );
    sim.faults.setLatency(10);
    worker.start();
    await until(() => outbox.counts().booked >= 2, "a first booking");
    sim.faults.expireAllTokens();
    await until(allBooked(outbox), "all entries booked");
    expectExactlyOnce(sim, outbox, 8);
  });

  it("pauses as a whole on a wrong password, drops and parks nothing, and recovers when it is fixed", async () => {
    const { sim, outbox, worker, states } = await rig(
      shiftsFor([SEED_USERS.anna, SEED_USERS.ben], 2, WORK),
    );
    sim.faults.setApiPassword("changed-by-the-admin");
    worker.start();
    await until(() => worker.state().phase === "paused-auth", "the pause");
    expect(worker.state().pausedUntil).not.toBeNull();
    await sleep(400);
    // Slow retries go on during the pause, so an entry may be caught mid-attempt ("sending").
    const counts = outbox.counts();
    expect(counts.pending + counts.sending).toBe(4);
    expect(counts).toMatchObject({ refused: 0, booked: 0, discarded: 0 });
    expect(states.some((s) => s.lastError?.code === "GT_LOGIN_REJECTED")).toBe(true);

    sim.faults.setApiPassword("12345678");
    await until(allBooked(outbox), "recovery after the password was fixed");
    expectExactlyOnce(sim, outbox, 4);
    expect(worker.state().phase).not.toBe("paused-auth");
  });
});

describe("sync soak: thousands of entries under faults switched at run time", () => {
  it("books every entry exactly once", async () => {
    const users = Object.values(SEED_USERS);
    const entries = shiftsFor(users, 400, WORK, Date.parse("2025-01-06T00:00:00Z"), 20);
    const { sim, outbox, worker } = await rig(entries, { concurrency: 4 });
    const faults = [
      () => sim.faults.failNext(15, 503, { retryAfter: 0 }),
      () => sim.faults.dropNext(4, "after-commit", { path: /createtimeentry/ }),
      () => sim.faults.dropNext(4, "before-commit", { path: /createtimeentry/ }),
      () => sim.faults.expireAllTokens(),
      () => sim.faults.setLatency({ minMs: 0, maxMs: 40 }),
      () => sim.faults.failNext(5, 429, { retryAfter: 0 }),
      () => sim.faults.clear(),
    ];
    let round = 0;
    const chaos = setInterval(() => faults[round++ % faults.length]?.(), 150);
    cleanups.push(() => clearInterval(chaos));
    worker.start();
    await until(
      () => outbox.counts().booked > entries.length * 0.9,
      "most entries booked",
      120_000,
    );
    clearInterval(chaos);
    sim.faults.clear();
    await until(allBooked(outbox), "all entries booked", 60_000);
    expect(round).toBeGreaterThan(faults.length);
    expectExactlyOnce(sim, outbox, entries.length);
  }, 200_000);
});
