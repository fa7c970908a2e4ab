import { afterEach, describe, expect, it } from "vitest";
import { GoodTimeError } from "../../src/goodtime/errors.js";
import {
  SEED_TIME_TYPES,
  SEED_USERS,
  type Simulator,
  startSimulator,
} from "../../src/simulator/index.js";
import { clientFor, failureOf } from "./support.js";

/** API v1.1 leaves the name of createtimeentry's time type field open: both sides make it a setting. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(v11TimeTypeField?: "timetypeid" | "timecategoryid"): Promise<Simulator> {
  const sim = await startSimulator(v11TimeTypeField ? { v11TimeTypeField } : {});
  cleanups.push(() => sim.close());
  return sim;
}

const entry = {
  userEmail: SEED_USERS.anna,
  start: new Date("2026-03-10T07:00:00Z"),
  end: new Date("2026-03-10T15:00:00Z"),
  timeTypeId: SEED_TIME_TYPES.workingHours.id,
  projectId: null,
};

describe("the v1.1 time type field", () => {
  it("is refused by a simulator that takes the other name, with the name it takes", async () => {
    const sim = await simulator("timetypeid");
    const client = clientFor(sim.url, { apiVersion: "v1.1" });
    cleanups.push(() => client.close());
    const error = await failureOf(client.createTimeEntry(entry));
    expect(error).toBeInstanceOf(GoodTimeError);
    expect((error as GoodTimeError).status).toBe(400);
    expect((error as GoodTimeError).message).toContain(
      'unknown field "timecategoryid" (v1.1 calls it "timetypeid")',
    );
    expect(sim.state.entries()).toEqual([]);
  });

  it("is sent under server.timeTypeField, and the entry list is read under either name", async () => {
    const sim = await simulator("timetypeid");
    const client = clientFor(sim.url, { apiVersion: "v1.1", timeTypeField: "timetypeid" });
    cleanups.push(() => client.close());
    const { id } = await client.createTimeEntry(entry);
    const [listed] = await client.timeEntries({
      userEmail: SEED_USERS.anna,
      from: new Date("2026-03-10T00:00:00Z"),
      to: new Date("2026-03-11T00:00:00Z"),
    });
    expect(listed).toMatchObject({ id, timeTypeId: SEED_TIME_TYPES.workingHours.id });
  });

  it("defaults to timecategoryid for v1.1, as the list of types is called", async () => {
    const sim = await simulator();
    const client = clientFor(sim.url, { apiVersion: "v1.1" });
    cleanups.push(() => client.close());
    await client.createTimeEntry(entry);
    expect(sim.state.entries()).toMatchObject([{ timeTypeId: SEED_TIME_TYPES.workingHours.id }]);
  });
});
