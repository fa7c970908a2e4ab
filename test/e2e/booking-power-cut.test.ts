import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DATABASE_FILE } from "../../src/store/database.js";
import { daemonSite, shiftsOf, until } from "./daemon-site.js";

/**
 * The outcome of a booking is committed without an fsync of its own (Outbox.markBooked); only the
 * mark before the request (sending, sent_as, ambiguous) is. A power cut right after "entry booked"
 * may therefore leave the files as they were when the request went out. Here the real daemon is
 * killed after it booked, its files are put back to that state, and the restarted daemon must
 * adopt the booking by a lookup instead of booking the shift a second time.
 */
describe("a power cut that loses the booked outcome", () => {
  it("leaves the entry in doubt, and the restarted daemon adopts the booking: one at GoodTime", async () => {
    const site = await daemonSite({ users: 1 });
    const db = join(site.dataDir, DATABASE_FILE);
    const readState = () => {
      const reader = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return reader.prepare("SELECT state, ambiguous, server_id FROM entries").all() as {
          state: string;
          ambiguous: number;
          server_id: string | null;
        }[];
      } finally {
        reader.close();
      }
    };
    // Slow answers leave time to take the files as they are while the request is out.
    site.sim.faults.setLatency(1_000);
    const first = site.start();
    await first.waitFor((r) => r.msg === "terminal ready", "readiness");
    await shiftsOf(site, first);
    await until(() => readState()[0]?.state === "sending", "the entry marked sending");
    const durable = { db: readFileSync(db), wal: readFileSync(`${db}-wal`) };
    await first.waitFor((r) => r.msg === "entry booked", "the booking", 20_000);
    expect(readState()).toEqual([
      { state: "booked", ambiguous: 0, server_id: site.sim.state.entries()[0]?.id },
    ]);
    await first.stop("SIGKILL");

    // The power cut: what was written after the mark before the request never reached the disk.
    writeFileSync(db, durable.db);
    writeFileSync(`${db}-wal`, durable.wal);
    rmSync(`${db}-shm`, { force: true });
    expect(readState()).toEqual([{ state: "sending", ambiguous: 1, server_id: null }]);

    site.sim.faults.clear();
    const second = site.start();
    await second.waitFor(
      (r) => r.msg.startsWith("entry was already on the server"),
      "the adoption of the booked entry",
    );
    const remote = site.sim.state.entries();
    expect(remote).toHaveLength(1);
    await until(() => site.outbox()[0]?.state === "booked", "the entry booked again locally");
    expect(site.outbox()[0]).toMatchObject({ serverId: remote[0]?.id, ambiguous: false });
    expect(
      site.sim.state.requests().filter((r) => r.path.endsWith("/createtimeentry")),
    ).toHaveLength(1);
    expect(await second.stop("SIGTERM")).toMatchObject({ code: 0 });
  }, 60_000);
});
