import { DateTime } from "luxon";
import type { LoadedConfig } from "../config/load.js";
import type { GoodTimeClient, TimeEntry } from "../goodtime/client.js";
import { GoodTimeError } from "../goodtime/errors.js";
import { EPOCH_MS, ISO_LOCAL, ISO_OFFSET } from "../goodtime/time-format.js";
import { candidateDialects, type Dialect, describeDialect, verdictFor } from "./dialects.js";
import { type Check, type Finding, fail, ok, sessionOf, warn } from "./types.js";

/**
 * `--write-test`: books a few minutes for the admin in a quiet slot long past, reads the entry back
 * and deletes it. The round trip proves that the server takes the time format and the time type
 * field, and that start, end and type come back as sent; a gap between them names the hours the
 * server shifts by. Where the configured dialect is refused or misread, the other candidates are
 * tried the same way (each test entry deleted), and the one the server took is named, and with
 * `--save` written to the config file.
 */

export const TEST_COMMENT =
  "timeclock doctor test entry (timeclock doctor --write-test); safe to delete";
/** Far enough back that nobody is booking into that day any more. */
export const DAYS_BACK = 35;
const DAYS_TRIED = 7;
const SLOT_MINUTES = 5;
/** Slots from 03:00 to 05:00 local time: no shift is likely to be booked then. */
const FIRST_HOUR = 3;
const SLOTS_PER_DAY = 24;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface Slot {
  start: Date;
  end: Date;
}

/** Candidate slots, nearest day first: 03:00, 03:05, … local time on days DAYS_BACK and earlier. */
export function candidateSlots(now: Date, zone: string): Slot[] {
  const today = DateTime.fromJSDate(now, { zone }).startOf("day");
  const slots: Slot[] = [];
  for (let day = 0; day < DAYS_TRIED; day++) {
    const first = today.minus({ days: DAYS_BACK + day }).set({ hour: FIRST_HOUR });
    for (let index = 0; index < SLOTS_PER_DAY; index++) {
      const start = first.plus({ minutes: index * SLOT_MINUTES });
      slots.push({
        start: start.toJSDate(),
        end: start.plus({ minutes: SLOT_MINUTES }).toJSDate(),
      });
    }
  }
  return slots;
}

/** The first slot that overlaps none of the entries. */
export function freeSlot(slots: readonly Slot[], entries: readonly TimeEntry[]): Slot | undefined {
  return slots.find((slot) =>
    entries.every(
      (entry) =>
        entry.end.getTime() <= slot.start.getTime() || entry.start.getTime() >= slot.end.getTime(),
    ),
  );
}

/** Whether the format writes a local time without an offset, so a zone mix-up reads back unchanged. */
export function isLocalFormat(format: string): boolean {
  if (format === ISO_OFFSET || format === EPOCH_MS) return false;
  if (format === ISO_LOCAL) return true;
  const literalsRemoved = format.replace(/'[^']*'/g, "");
  // Z…: offset, z: zone name, X and x: epoch seconds and milliseconds.
  return !/[ZzXx]/.test(literalsRemoved);
}

function sameMinute(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / MINUTE_MS) === Math.floor(b.getTime() / MINUTE_MS);
}

function hoursBetween(sent: Date, got: Date): string {
  const hours = (got.getTime() - sent.getTime()) / 3_600_000;
  return `${hours > 0 ? "+" : ""}${Number.isInteger(hours) ? hours : hours.toFixed(2)} h`;
}

interface Trip {
  loaded: LoadedConfig;
  dialect: Dialect;
  client: GoodTimeClient;
  slot: Slot;
  id: string;
  timeTypeId: string;
}

function local(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd HH:mm ZZ");
}

async function verifyRoundTrip({
  loaded,
  dialect,
  client,
  slot,
  id,
  timeTypeId,
}: Trip): Promise<Finding> {
  const { server, terminal } = loaded.config;
  const zone = terminal.timeZone;
  const formatKeys = `server.timeFormat (${JSON.stringify(dialect.timeFormat)}) and terminal.timeZone (${zone})`;
  const entries = await client.timeEntries({
    userEmail: server.loginEmail,
    from: new Date(slot.start.getTime() - DAY_MS),
    to: new Date(slot.end.getTime() + DAY_MS),
  });
  const entry = entries.find((candidate) => candidate.id === id);
  if (!entry) {
    return fail(
      `the test entry ${id} was booked for ${local(slot.start, zone)}, but reading that day back does not list it`,
      `the server reads times differently from how the terminal writes them: check ${formatKeys}`,
    );
  }
  if (!sameMinute(entry.start, slot.start) || !sameMinute(entry.end, slot.end)) {
    return fail(
      `the test entry was sent as ${local(slot.start, zone)} to ${local(slot.end, zone)} but came back as ${local(entry.start, zone)} to ${local(entry.end, zone)} (${hoursBetween(slot.start, entry.start)})`,
      `the server reads or writes times in another zone or format: check ${formatKeys}; "iso-offset" avoids zone mix-ups if the server accepts it`,
    );
  }
  if (entry.timeTypeId !== timeTypeId) {
    return fail(
      `the test entry was sent with ${dialect.timeTypeField} ${JSON.stringify(timeTypeId)} but came back with the time type ${JSON.stringify(entry.timeTypeId)}`,
      "the server did not read the time type field the terminal sent: check server.timeTypeField",
    );
  }
  const trip = `booked ${local(slot.start, zone)} to ${local(slot.end, zone)} for ${server.loginEmail} and read it back unchanged`;
  if (isLocalFormat(dialect.timeFormat)) {
    return warn(
      `${trip}; but server.timeFormat ${JSON.stringify(dialect.timeFormat)} carries no offset, so a server reading it in another zone than ${zone} would pass the round trip too`,
      `book one entry with timeclock server create and check that GoodTime's web app shows the same local time, or use server.timeFormat "iso-offset" if the server accepts it`,
    );
  }
  return ok(trip);
}

async function deleteQuietly(client: GoodTimeClient, id: string): Promise<string | undefined> {
  try {
    await client.deleteTimeEntry(id);
    return undefined;
  } catch (error) {
    if (!(error instanceof GoodTimeError)) throw error;
    return `${error.message} [${error.code}]`;
  }
}

/** What one dialect's round trip came to. */
type Attempt =
  /** Booked, read back as sent and deleted. */
  | { kind: "took"; roundTrip: Finding }
  /** Refused, or booked and misread (and deleted): worth trying the next dialect. */
  | { kind: "not-taken"; why: string; fix: string }
  /** A problem no other dialect will fix, or a test entry left on the server. */
  | { kind: "stop"; finding: Finding };

/** An answer that says the server does not read what this dialect wrote. */
function refusesDialect(error: GoodTimeError, reading: boolean): boolean {
  return (
    error.status === 400 || error.status === 422 || (reading && error.code === "GT_BAD_RESPONSE")
  );
}

async function attempt(
  loaded: LoadedConfig,
  client: GoodTimeClient,
  dialect: Dialect,
  now: Date,
): Promise<Attempt> {
  const { server, entry, terminal } = loaded.config;
  const zone = terminal.timeZone;
  const slots = candidateSlots(now, zone);
  const nearest = slots[0] as Slot;
  const oldest = slots[slots.length - 1] as Slot;
  const keys = `server.timeFormat (${JSON.stringify(dialect.timeFormat)}) and terminal.timeZone`;
  let booked: TimeEntry[];
  try {
    booked = await client.timeEntries({
      userEmail: server.loginEmail,
      from: new Date(oldest.start.getTime() - 2 * DAY_MS),
      to: new Date(nearest.end.getTime() + DAY_MS),
    });
  } catch (error) {
    if (!(error instanceof GoodTimeError)) throw error;
    const what = `reading ${server.loginEmail}'s entries to find a free slot failed, nothing was booked: ${error.message} [${error.code}]`;
    const fix = `check ${keys}: the server may expect times in another form`;
    return refusesDialect(error, true)
      ? { kind: "not-taken", why: what, fix }
      : { kind: "stop", finding: fail(what, fix) };
  }
  const slot = freeSlot(slots, booked);
  if (!slot) {
    return {
      kind: "stop",
      finding: warn(
        `no free ${SLOT_MINUTES}-minute slot for ${server.loginEmail} between 03:00 and 05:00 on the ${DAYS_TRIED} days from ${local(oldest.start, zone)}`,
        "nothing was booked; run the write test again another day",
      ),
    };
  }
  let id: string;
  try {
    ({ id } = await client.createTimeEntry({
      userEmail: server.loginEmail,
      start: slot.start,
      end: slot.end,
      timeTypeId: entry.timeTypeId,
      projectId: null,
      comment: TEST_COMMENT,
    }));
  } catch (error) {
    if (!(error instanceof GoodTimeError)) throw error;
    const from = local(slot.start, zone);
    const what = `booking the test entry at ${from} for ${server.loginEmail} failed: ${error.message} [${error.code}]`;
    if (error.kind === "ambiguous") {
      const to = local(slot.end, zone).slice(0, 10);
      return {
        kind: "stop",
        finding: fail(
          what,
          `the answer was lost, so the entry may exist: timeclock server entries ${server.loginEmail} --from ${from.slice(0, 10)} --to ${to}T23:59 lists it; delete it with timeclock server delete ID`,
        ),
      };
    }
    const fix = `check ${keys}, server.timeTypeField and entry.timeTypeId; a locked period also refuses it`;
    return refusesDialect(error, false)
      ? { kind: "not-taken", why: what, fix }
      : { kind: "stop", finding: fail(what, fix) };
  }
  let verdict: Finding;
  try {
    verdict = await verifyRoundTrip({
      loaded,
      dialect,
      client,
      slot,
      id,
      timeTypeId: entry.timeTypeId,
    });
  } catch (error) {
    if (!(error instanceof GoodTimeError)) throw error;
    verdict = fail(
      `reading the test entry ${id} back failed: ${error.message} [${error.code}]`,
      `check ${keys}`,
    );
  }
  const undeleted = await deleteQuietly(client, id);
  if (undeleted !== undefined) {
    return {
      kind: "stop",
      finding: fail(
        `${verdict.finding}; deleting the test entry ${id} failed: ${undeleted}`,
        `delete it by hand: timeclock server delete ${id}${verdict.fix ? `; also: ${verdict.fix}` : ""}`,
      ),
    };
  }
  const deleted = { ...verdict, finding: `${verdict.finding}; test entry ${id} deleted` };
  return verdict.status === "fail"
    ? { kind: "not-taken", why: deleted.finding, fix: verdict.fix ?? "" }
    : { kind: "took", roundTrip: deleted };
}

/** The configured dialect on the session's client; every other on a client of its own. */
function clientFor(
  loaded: LoadedConfig,
  dialect: Dialect,
  index: number,
  session: GoodTimeClient,
  create: (loaded: LoadedConfig) => GoodTimeClient,
): { client: GoodTimeClient; close: () => void } {
  if (index === 0) return { client: session, close: () => {} };
  const server = { ...loaded.config.server, ...dialect };
  const client = create({ ...loaded, config: { ...loaded.config, server } });
  return { client, close: () => client.close() };
}

export const writeTestCheck: Check = {
  name: "write test",
  needs: ["config", "server", "login"],
  enabled: (deps) => deps.writeTest,
  async run(deps, state) {
    const { loaded, client: session } = sessionOf(state);
    const { server } = loaded.config;
    const tried: string[] = [];
    let firstFix: string | undefined;
    for (const [index, dialect] of candidateDialects(server).entries()) {
      const { client, close } = clientFor(loaded, dialect, index, session, deps.createClient);
      let result: Attempt;
      try {
        result = await attempt(loaded, client, dialect, deps.clock.now());
      } finally {
        close();
      }
      if (result.kind === "stop") return result.finding;
      if (result.kind === "took") {
        return verdictFor(dialect, result.roundTrip, loaded, {
          wanted: deps.save,
          now: deps.clock.now(),
        });
      }
      tried.push(`${describeDialect(dialect, server)}: ${result.why}`);
      firstFix ??= result.fix;
    }
    return fail(
      `the server took none of the ${tried.length} dialects tried; ${tried.join(" | ")}`,
      firstFix ?? "check server.baseUrl and server.apiVersion",
    );
  },
};
