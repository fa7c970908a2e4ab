import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/admin/csv.js";
import { ExitCode } from "../../src/core/exit-codes.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { Outbox } from "../../src/store/outbox.js";
import { harness } from "../admin/cli-harness.js";
import { tapper } from "../admin/seed.js";

const ANNA = "0F00A1B2C3";
const STRANGER = "0000A1B2C4";

/**
 * Local day 2026-03-10 in Berlin runs from 2026-03-09T23:00Z to 2026-03-10T23:00Z. Anna works
 * 00:30–08:30 local, a stranger taps at 12:00 local, and Anna's next shift starts the next day.
 */
function seeded() {
  const h = harness({ now: "2026-03-09T23:30:00Z" });
  const db = h.openDb();
  new BadgeRepository(db, h.clock).put({ badgeId: ANNA, knownBits: 40, email: "anna@example.com" });
  const tap = tapper(db, h.clock);
  tap(ANNA);
  h.clock.advance(8 * 3_600_000);
  const out = tap(ANNA);
  h.clock.advance(3.5 * 3_600_000);
  tap(STRANGER, 24);
  h.clock.advance(12 * 3_600_000);
  tap(ANNA);
  const outbox = new Outbox(db);
  outbox.markBooked(out.entry?.id ?? "", "srv-1", h.clock.now());
  return { h, entryId: out.entry?.id ?? "" };
}

function table(text: string) {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.records.map((record) => record.fields);
}

describe("timeclock export", () => {
  it("writes the taps of the local days asked for", async () => {
    const { h, entryId } = seeded();
    const result = await h.cli(
      "export",
      "--from",
      "2026-03-10",
      "--to",
      "2026-03-10",
      "--what",
      "taps",
    );
    expect(result.code).toBe(0);
    expect(table(result.stdout)).toEqual([
      [
        "tap_id",
        "local_time",
        "utc_time",
        "badge",
        "user",
        "outcome",
        "reason",
        "clock_synced",
        "entry_id",
        "source",
      ],
      [
        "1",
        "2026-03-10 00:30:00",
        "2026-03-09T23:30:00.000Z",
        ANNA,
        "anna@example.com",
        "clock-in",
        "",
        "yes",
        "",
        "badge",
      ],
      [
        "2",
        "2026-03-10 08:30:00",
        "2026-03-10T07:30:00.000Z",
        ANNA,
        "anna@example.com",
        "clock-out",
        "",
        "yes",
        entryId,
        "badge",
      ],
      [
        "3",
        "2026-03-10 12:00:00",
        "2026-03-10T11:00:00.000Z",
        "161,45764",
        "",
        "refused",
        "unknown badge: not mapped to any user (timeclock badges add)",
        "yes",
        "",
        "badge",
      ],
    ]);
  });

  it("writes the entries that start in the range, with local and UTC times and hours", async () => {
    const { h, entryId } = seeded();
    const result = await h.cli(
      "export",
      "--from",
      "2026-03-10",
      "--to",
      "2026-03-11T00:00",
      "--what",
      "entries",
    );
    expect(result.stdout).toBe(
      "entry_id,user,booked_start_local,booked_end_local,booked_start_utc,booked_end_utc,minutes,hours," +
        "raw_start_local,raw_end_local,raw_start_utc,raw_end_utc,rounding,state,server_id,time_type_id,project_id\r\n" +
        `${entryId},anna@example.com,2026-03-10 00:30,2026-03-10 08:30,2026-03-09T23:30:00.000Z,2026-03-10T07:30:00.000Z,480,8.00,` +
        "2026-03-10 00:30:00,2026-03-10 08:30:00,2026-03-09T23:30:00.000Z,2026-03-10T07:30:00.000Z,whole minutes,booked,srv-1,work,\r\n",
    );
    const before = await h.cli(
      "export",
      "--from",
      "2026-03-10T01:00",
      "--to",
      "2026-03-10",
      "--what",
      "entries",
    );
    expect(table(before.stdout)).toHaveLength(1);
  });

  it("writes both tables into a file readable only by its owner", async () => {
    const { h } = seeded();
    const path = join(h.dir, "payroll.csv");
    const result = await h.cli(
      "export",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
      "--out",
      path,
    );
    expect(result).toMatchObject({ code: 0, stdout: "" });
    const text = readFileSync(path, "utf8");
    const [taps, entries] = text.split("\r\n\r\n");
    expect(table(taps ?? "")).toHaveLength(5);
    expect(table(entries ?? "")[0]?.[0]).toBe("entry_id");
    expect(table(entries ?? "")).toHaveLength(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.each([
    [
      ["--from", "2026-03-10", "--to", "2026-03-09"],
      '--to "2026-03-09" is not after --from "2026-03-10"',
    ],
    [["--from", "10.03.2026", "--to", "2026-03-09"], '--from "10.03.2026" is not a date or time'],
    [["--to", "2026-03-09"], "required option '--from <date>' not specified"],
    [
      ["--from", "2026-03-01", "--to", "2026-03-02", "--what", "shifts"],
      "argument 'shifts' is invalid",
    ],
  ])("refuses %j as a usage error", async (argv, message) => {
    const { h } = seeded();
    const result = await h.cli("export", ...argv);
    expect(result.code).toBe(ExitCode.usage);
    expect(result.stderr).toContain(message);
  });

  it("names an output file it cannot write", async () => {
    const { h } = seeded();
    const path = join(h.dir, "missing-dir", "out.csv");
    const result = await h.cli(
      "export",
      "--from",
      "2026-03-10",
      "--to",
      "2026-03-10",
      "--out",
      path,
    );
    expect(result.code).toBe(ExitCode.cannotWrite);
    expect(result.stderr).toContain('out.csv" (ENOENT)');
  });
});
