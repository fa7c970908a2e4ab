import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/admin/csv.js";
import { SEED_USERS } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { mapBadges, type Setup, type SetupOptions, setup, startDaemon } from "./site.js";

/**
 * One truth from tap to payroll, through the real daemon: what GoodTime (the simulator) holds, what
 * `export` writes and what `queue` lists are the same span and hours.
 */

const ANNA = "0F00A1B2C3";

async function shortShiftBooked(options: SetupOptions): Promise<Setup> {
  const s = await setup(options);
  mapBadges(join(s.dir, "data"), [{ badgeId: ANNA, email: SEED_USERS.anna }]);
  const daemon = startDaemon(s.configPath);
  await daemon.waitFor((r) => r.msg === "terminal ready", "readiness");
  s.tap(ANNA);
  await daemon.waitFor((r) => r.outcome === "clock-in", "the clock-in");
  await sleep(1100);
  s.tap(ANNA);
  await daemon.waitFor((r) => r.outcome === "clock-out", "the clock-out");
  await daemon.waitFor((r) => r.msg === "entry booked", "the booking");
  expect((await daemon.stop("SIGTERM")).code).toBe(0);
  return s;
}

async function exported(s: Setup): Promise<Record<string, string>[]> {
  const today = DateTime.now().setZone("Europe/Berlin");
  const result = await runCaptured([
    ...["--config", s.configPath, "export", "--what", "entries"],
    ...["--from", today.minus({ days: 1 }).toISODate() ?? ""],
    ...["--to", today.plus({ days: 1 }).toISODate() ?? ""],
  ]);
  expect(result.stderr).toBe("");
  const parsed = parseCsv(result.stdout);
  if (!parsed.ok) throw new Error(parsed.reason);
  const [header, ...rows] = parsed.records.map((record) => record.fields);
  return rows.map((row) => Object.fromEntries(row.map((cell, i) => [header?.[i], cell])));
}

async function queued(s: Setup) {
  const result = await runCaptured(["--config", s.configPath, "queue", "--state", "all", "--json"]);
  return JSON.parse(result.stdout) as { booked: { start: string; end: string; hours: string } }[];
}

function bookedInGoodTime(s: Setup) {
  const [entry, ...others] = s.sim.state.entries();
  expect(others).toEqual([]);
  if (!entry) throw new Error("nothing was booked");
  const minutes = (entry.end.getTime() - entry.start.getTime()) / 60_000;
  return { start: entry.start.toISOString(), end: entry.end.toISOString(), minutes };
}

describe("the span booked in GoodTime is the span exported and queued", () => {
  it("books a shift of a second as one minute, and exports that minute, not 0.00 hours", async () => {
    const s = await shortShiftBooked({});
    const booked = bookedInGoodTime(s);
    expect(booked.minutes).toBe(1);
    const [row] = await exported(s);
    expect(row).toMatchObject({
      booked_start_utc: booked.start,
      booked_end_utc: booked.end,
      minutes: "1",
      hours: "0.02",
      state: "booked",
      rounding: "whole minutes",
    });
    expect(row?.raw_start_utc?.slice(0, 16)).toBe(booked.start.slice(0, 16));
    const [listed] = await queued(s);
    expect(listed?.booked).toMatchObject({ start: booked.start, end: booked.end, hours: "0.02" });
  }, 60_000);

  it("books and exports the span entry.rounding makes, with the tapped instants beside it", async () => {
    const s = await shortShiftBooked({
      entry: {
        rounding: {
          start: { stepMinutes: 60, direction: "down" },
          end: { stepMinutes: 60, direction: "up" },
        },
      },
    });
    const booked = bookedInGoodTime(s);
    const start = DateTime.fromISO(booked.start, { zone: "Europe/Berlin" });
    expect([start.minute, start.second]).toEqual([0, 0]);
    expect(booked.minutes % 60).toBe(0);
    expect(booked.minutes).toBeGreaterThanOrEqual(60);
    const [row] = await exported(s);
    expect(row).toMatchObject({
      booked_start_utc: booked.start,
      booked_end_utc: booked.end,
      booked_start_local: start.toFormat("yyyy-MM-dd HH:mm"),
      minutes: String(booked.minutes),
      hours: (booked.minutes / 60).toFixed(2),
      rounding: "start down to 60 min, end up to 60 min (Europe/Berlin)",
    });
    const tapped = new Date(row?.raw_start_utc ?? "");
    expect(tapped.getTime()).toBeGreaterThanOrEqual(new Date(booked.start).getTime());
    expect(tapped.getTime()).toBeLessThan(new Date(booked.start).getTime() + 3_600_000);
    const [listed] = await queued(s);
    expect(listed?.booked).toMatchObject({ start: booked.start, end: booked.end });
  }, 60_000);
});
