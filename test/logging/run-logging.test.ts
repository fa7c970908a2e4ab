import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { SEED_TIME_TYPES, SEED_USERS, startSimulator } from "../../src/simulator/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { openDatabase } from "../../src/store/database.js";
import { FakeClock } from "../fakes/clock.js";
import { RunProcess } from "../helpers/run-process.js";
import { tempDir } from "../helpers/temp.js";

/**
 * The daemon's own output, read from a real `timeclock run`: secrets never appear in it, badge IDs
 * do not when log.redactBadges is set, and TIMECLOCK_LOG_LEVEL wins over log.level.
 */

const ADMIN = { loginEmail: "owner@gtsandbox.en", apiPassword: "pw-Zq8#only-in-the-env" };
const MAPPED = "0F00A1B2C3";
const UNMAPPED = "00DEADBEEF";
/** Any JSON web token: its header is base64 of '{"', so every one starts with eyJ. */
const JWT = /eyJ[\w-]{8,}\.[\w-]+/;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function terminalSite(
  log: { level: string; redactBadges: boolean },
  reader: { format: string; extraBadges?: string[] } = { format: "hex10" },
) {
  const dir = tempDir("timeclock-logging-");
  const sim = await startSimulator({
    seed: {
      admin: ADMIN,
      userEmails: [ADMIN.loginEmail, SEED_USERS.anna],
      timeTypes: [SEED_TIME_TYPES.workingHours],
      projects: [],
    },
  });
  cleanups.push(() => sim.close());
  const dataDir = join(dir, "data");
  const db = openDatabase(dataDir, { logger: silentLogger() });
  const badges = new BadgeRepository(db, new FakeClock("2026-11-27T08:00:00Z"));
  for (const badgeId of [MAPPED, ...(reader.extraBadges ?? [])]) {
    badges.put({ badgeId, knownBits: 40, email: SEED_USERS.anna });
  }
  db.close();
  const configPath = join(dir, "config.json");
  writeFileSync(
    configPath,
    JSON.stringify({
      terminal: { name: "log-door", dataDir, clockTrust: "system" },
      server: { baseUrl: sim.url, loginEmail: ADMIN.loginEmail, timeoutMs: 2000 },
      reader: { type: "stdin", format: reader.format },
      entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
      pairing: { minGapSeconds: 0 },
      sync: { retryBaseMs: 100, retryMaxMs: 1000 },
      log,
    }),
  );
  return { sim, configPath };
}

function start(configPath: string, env: NodeJS.ProcessEnv): RunProcess {
  const run = new RunProcess(configPath, env);
  cleanups.push(() => run.stop());
  return run;
}

describe("timeclock run's log", () => {
  it("holds neither the API password nor a token, even when the server echoes them, and redacts badges", async () => {
    const { sim, configPath } = await terminalSite({ level: "warn", redactBadges: true });
    // A server that quotes the credentials back in an error, and a token that stops working.
    sim.faults.failNext(1, 500, {
      path: /createtimeentry/,
      body: JSON.stringify({ error: `login ${ADMIN.loginEmail} with ${ADMIN.apiPassword} failed` }),
    });
    sim.faults.failNext(1, 401, { path: /createtimeentry/ });
    const run = start(configPath, {
      TIMECLOCK_API_PASSWORD: ADMIN.apiPassword,
      TIMECLOCK_LOG_LEVEL: "debug",
    });
    await run.waitFor("readiness", (line) => line.msg === "terminal ready");
    run.type(`${MAPPED}\n${UNMAPPED}\nnot-a-badge\n`);
    await run.waitFor("the clock-in", (line) => line.outcome === "clock-in");
    run.type(`${MAPPED}\n`);
    await run.waitFor("the booking", (line) => line.msg === "entry booked");
    expect(sim.state.entries()).toHaveLength(1);
    expect(sim.state.counters.logins).toBeGreaterThanOrEqual(2);
    await run.stop();

    const lines = run.lines;
    expect(lines.some((line) => line.msg.includes("booking paused, nothing is dropped"))).toBe(
      true,
    );
    expect(run.output).not.toContain(ADMIN.apiPassword);
    expect(run.output).not.toMatch(JWT);
    expect(run.output).not.toMatch(/Bearer\s/);

    const taps = lines.filter((line) => line.msg.startsWith("tap "));
    expect(taps.map((line) => [line.outcome, line.badge])).toEqual([
      ["clock-in", "[redacted]"],
      ["refused", "[redacted]"],
      ["clock-out", "[redacted]"],
    ]);
    const reads = lines.filter((line) => line.msg === "badge read");
    expect(reads.map((line) => line.badgeId)).toEqual(["[redacted]", "[redacted]", "[redacted]"]);
    expect(lines.find((line) => line.msg === "dropped a frame")?.badge).toBe("[redacted]");
    for (const badge of [MAPPED, UNMAPPED, "not-a-badge"]) expect(run.output).not.toContain(badge);
  });

  it("shows badge IDs in the tap lines when log.redactBadges is off", async () => {
    const { configPath } = await terminalSite({ level: "info", redactBadges: false });
    const run = start(configPath, { TIMECLOCK_API_PASSWORD: ADMIN.apiPassword });
    await run.waitFor("readiness", (line) => line.msg === "terminal ready");
    run.type(`${UNMAPPED}\n`);
    const tap = await run.waitFor("the refused tap", (line) => line.msg === "tap refused");
    expect(tap).toMatchObject({ badge: UNMAPPED, outcome: "refused", part: "terminal" });
  });

  it("logs at TIMECLOCK_LOG_LEVEL when set, else at log.level", async () => {
    const { configPath } = await terminalSite({ level: "warn", redactBadges: true });
    const password = { TIMECLOCK_API_PASSWORD: ADMIN.apiPassword };

    const debug = start(configPath, { ...password, TIMECLOCK_LOG_LEVEL: "debug" });
    await debug.waitFor("readiness", (line) => line.msg === "terminal ready");
    // A booking makes the client log each answer at debug level.
    debug.type(`${MAPPED}\n`);
    await debug.waitFor("the clock-in", (line) => line.outcome === "clock-in");
    debug.type(`${MAPPED}\n`);
    await debug.waitFor("a debug line", (line) => line.level === "debug");
    expect(await debug.stop()).toBe(0);

    const quiet = start(configPath, password);
    // A line the reader drops is a warning, so it shows that the quiet process is up and logging.
    quiet.type("not-a-badge\n");
    await quiet.waitFor("the dropped line", (line) => line.msg === "dropped a frame");
    expect(await quiet.stop()).toBe(0);
    const levels = new Set(quiet.lines.map((line) => line.level));
    expect([...levels].filter((level) => level !== "warn" && level !== "error")).toEqual([]);
    expect(debug.lines.some((line) => line.level === "info")).toBe(true);
  });

  it("prints no badge ID for an ambiguous tap either, with log.redactBadges", async () => {
    const twin = "1F00A1B2C3";
    const { configPath } = await terminalSite(
      { level: "info", redactBadges: true },
      { format: "dec10", extraBadges: [twin] },
    );
    const run = start(configPath, { TIMECLOCK_API_PASSWORD: ADMIN.apiPassword });
    await run.waitFor("readiness", (line) => line.msg === "terminal ready");
    // The card's printed decimal carries only the low 32 bits, which both badges share.
    run.type("0010597059\n");
    const tap = await run.waitFor("the refused tap", (line) => line.msg === "tap refused");
    expect(tap.badge).toBe("[redacted]");
    expect(tap.reason).toContain("match 2 mapped badges");
    expect(run.lines.map((line) => JSON.stringify(line)).join("\n")).not.toMatch(
      /0F00A1B2C3|1F00A1B2C3|0010597059/,
    );
  });
});
