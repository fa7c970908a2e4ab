import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { openDatabase } from "../../src/store/database.js";
import { Outbox } from "../../src/store/outbox.js";
import { FakeClock } from "../fakes/clock.js";
import { tempDir } from "../helpers/temp.js";

function setup() {
  const db = openDatabase(tempDir(), { logger: silentLogger() });
  db.prepare(
    `INSERT INTO taps (id, badge_id, known_bits, source, wall_at, mono_ms, boot_id, clock_synced, outcome)
     VALUES (1, '0F00A1B2C3', 40, 't', '2026-01-01T00:00:00.000Z', 0, 'b', 1, 'clock-in')`,
  ).run();
  const insert = db.prepare(
    `INSERT INTO entries (id, email, start_at, end_at, time_type_id, start_tap_id, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'work', 1, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  );
  const add = (id: string, email: string, startHour: number, state = "pending") =>
    insert.run(
      id,
      email,
      `2026-01-01T${String(startHour).padStart(2, "0")}:00:00.000Z`,
      `2026-01-01T${String(startHour).padStart(2, "0")}:30:00.000Z`,
      state,
    );
  return { db, add, outbox: new Outbox(db), clock: new FakeClock("2026-01-02T00:00:00Z") };
}

const SENT = {
  userEmail: "anna",
  start: new Date("2026-01-01T08:00:00.000Z"),
  end: new Date("2026-01-01T08:30:00.000Z"),
  timeTypeId: "work",
  projectId: null,
  comment: "front-door",
};

describe("outbox", () => {
  it("offers each user's earliest unbooked entry only", () => {
    const { add, outbox, clock } = setup();
    add("a1", "anna", 8);
    add("a2", "anna", 10);
    add("b1", "ben", 9);
    expect(
      outbox
        .nextPerUser(clock.now(), 10)
        .map((e) => e.id)
        .sort(),
    ).toEqual(["a1", "b1"]);
  });

  it("does not let a refused entry hold back the user's later ones", () => {
    const { add, outbox, clock } = setup();
    add("a1", "anna", 8, "refused");
    add("a2", "anna", 10);
    expect(outbox.nextPerUser(clock.now(), 10).map((e) => e.id)).toEqual(["a2"]);
  });

  it("holds back later entries behind one that waits for the clock", () => {
    const { add, outbox, clock } = setup();
    add("a1", "anna", 8, "held");
    add("a2", "anna", 10);
    expect(outbox.nextPerUser(clock.now(), 10)).toEqual([]);
  });

  it("marks an entry ambiguous before sending and clears it only on an answer", () => {
    const { add, outbox, clock } = setup();
    add("a1", "anna", 8);
    expect(outbox.get("a1")?.sentAs).toBeNull();
    outbox.markSending("a1", SENT, clock.now());
    expect(outbox.get("a1")).toMatchObject({
      state: "sending",
      ambiguous: true,
      attempts: 1,
      sentAs: SENT,
    });
    outbox.markRetry(
      "a1",
      { message: "timeout", code: "GT_TIMEOUT_AFTER_SEND" },
      new Date(clock.now().getTime() + 5000),
      clock.now(),
    );
    expect(outbox.get("a1")).toMatchObject({ state: "pending", ambiguous: true });
    expect(outbox.nextPerUser(clock.now(), 10)).toEqual([]);
    clock.advance(5000);
    expect(outbox.nextPerUser(clock.now(), 10).map((e) => e.id)).toEqual(["a1"]);
    outbox.markBooked("a1", "srv-1", clock.now());
    expect(outbox.get("a1")).toMatchObject({
      state: "booked",
      ambiguous: false,
      serverId: "srv-1",
    });
    expect(outbox.counts()).toMatchObject({ booked: 1, pending: 0 });
  });

  it("commits each outcome on its own and leaves the connection fsync'ing every commit after it", () => {
    const { add, outbox, clock, db } = setup();
    add("a", "anna", 8);
    add("b", "ben", 8);
    add("c", "carl", 8);
    const synchronous = () => db.pragma("synchronous", { simple: true });
    expect(synchronous()).toBe(2);
    outbox.markSending("a", SENT, clock.now());
    outbox.markBooked("a", "srv-a", clock.now());
    expect(synchronous()).toBe(2);
    outbox.markRetry("b", { message: "503", code: "GT_UNAVAILABLE" }, clock.now(), clock.now());
    expect(synchronous()).toBe(2);
    outbox.markRefused("c", { message: "overlap", code: "GT_REFUSED" }, clock.now());
    expect(synchronous()).toBe(2);
    expect(["a", "b", "c"].map((id) => outbox.get(id)?.state)).toEqual([
      "booked",
      "pending",
      "refused",
    ]);
    // Inside a caller's transaction the outcome cannot change the connection's sync level.
    expect(() => db.transaction(() => outbox.markBooked("b", "srv-b", clock.now()))()).toThrow();
    expect(outbox.get("b")?.state).toBe("pending");
    expect(synchronous()).toBe(2);
  });

  it("keeps the ambiguous mark and what was sent through an admin's retry", () => {
    const { db, add, outbox, clock } = setup();
    add("a1", "anna", 8);
    outbox.markSending("a1", SENT, clock.now());
    // A refused entry that may be on the server: restored from a backup taken while it was sent.
    db.prepare("UPDATE entries SET state = 'refused' WHERE id = 'a1'").run();
    const fields = { email: "ben", timeTypeId: "tt2", projectId: null };
    expect(outbox.reassign("a1", fields, clock.now())).toBe(true);
    expect(outbox.get("a1")).toMatchObject({
      state: "pending",
      ...fields,
      ambiguous: true,
      sentAs: SENT,
    });
  });

  it("reassigns and discards refused entries for an admin, never touching the ambiguous mark", () => {
    const { add, outbox, clock } = setup();
    add("a1", "anna", 8, "refused");
    add("a2", "anna", 9, "refused");
    add("a3", "anna", 10, "booked");
    outbox.markSending("a1", SENT, clock.now());
    outbox.markRefused("a1", { message: "no", code: "GT_REFUSED" }, clock.now());
    const fields = { email: "ben", timeTypeId: "tt2", projectId: "p2" };
    expect(outbox.reassign("a1", fields, clock.now())).toBe(true);
    expect(outbox.get("a1")).toMatchObject({ state: "pending", ...fields, attempts: 1 });
    expect(outbox.reassign("a3", fields, clock.now())).toBe(false);
    add("a4", "anna", 11, "pending");
    const lost = { message: "timeout after send", code: "GT_TIMEOUT_AFTER_SEND" };
    outbox.markSending("a4", SENT, clock.now());
    outbox.markRetry("a4", lost, clock.now(), clock.now());
    expect(outbox.reassign("a4", fields, clock.now())).toBe(true);
    expect(outbox.get("a4")).toMatchObject({ state: "pending", ambiguous: true, ...fields });
    expect(outbox.get("a3")?.email).toBe("anna");
    expect(outbox.discard("a2", clock.now())).toBe(true);
    expect(outbox.discard("a2", clock.now())).toBe(false);
  });
});
