import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Command } from "commander";
import { DateTime } from "luxon";

import { type LoadedConfig, parseConfig } from "../../config/load.js";
import { systemClock } from "../../core/clock.js";
import { createLogger, silentLogger } from "../../core/logger.js";
import { createLogFeedback } from "../../feedback/feedback.js";
import { SEED_ADMIN, SEED_TIME_TYPES, SEED_USERS, startSimulator } from "../../simulator/index.js";
import { BadgeRepository } from "../../store/badges.js";
import { openDatabase } from "../../store/database.js";
import { createClockProbe } from "../../system/clock-state.js";
import { createSystemdNotifier } from "../../system/sd-notify.js";
import { startDaemon } from "../../terminal/daemon.js";
import { describeCommand } from "../command-registry.js";
import type { CliContext } from "../context.js";
import { untilStopSignal } from "../signals.js";

const ZONE = "Europe/Berlin";
const DEMO_BADGES = [
  { badgeId: "0F00A1B2C3", email: SEED_USERS.anna, name: "Anna Schmidt" },
  { badgeId: "0F00A1B2C4", email: SEED_USERS.ben, name: "Ben Meyer" },
  { badgeId: "0F00A1B2C5", email: SEED_USERS.clara, name: "Clara Wagner" },
] as const;

function local(iso: string | Date): string {
  const dt = typeof iso === "string" ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso);
  return dt.setZone(ZONE).toFormat("yyyy-MM-dd HH:mm:ss");
}

const OUTCOME_TEXT: Record<string, string> = {
  "clock-in": "IN    clocked in",
  "clock-out": "OUT   clocked out; entry queued for GoodTime",
  ignored: "SKIP  ignored",
  refused: "NO    refused",
};

/** Turns the daemon's JSON log lines into sentences a newcomer can follow. */
function demoLogStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        const record = JSON.parse(line) as Record<string, unknown>;
        const msg = String(record.msg ?? "");
        if (typeof record.outcome === "string") {
          const who = record.user ? ` ${record.user}` : "";
          const why = record.reason ? ` (${record.reason})` : "";
          out.write(
            `  tap ${record.badge}: ${OUTCOME_TEXT[record.outcome] ?? record.outcome}${who}${why}\n`,
          );
        } else if (msg === "entry booked") {
          out.write(`  sync: entry ${record.entryId} booked in GoodTime as ${record.serverId}\n`);
        } else if (
          record.level === "warn" ||
          record.level === "error" ||
          record.level === "fatal"
        ) {
          out.write(`  ${record.level}: ${msg}${record.code ? ` (${record.code})` : ""}\n`);
        }
      }
      done();
    },
  });
}

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command("demo")
    .description(describeCommand("demo"))
    .option("--min-gap <seconds>", "seconds a second tap must wait to count", "5")
    .action(async (options: { minGap: string }, command: Command) => {
      const minGap = Number(options.minGap);
      if (!Number.isInteger(minGap) || minGap < 0 || minGap > 3600) {
        command.error(
          `--min-gap must be a whole number of seconds from 0 to 3600, got ${JSON.stringify(options.minGap)}`,
        );
      }
      const out = context.stdout;
      const dataDir = mkdtempSync(join(tmpdir(), "timeclock-demo-"));
      const simulator = await startSimulator({ seed: "company", timeZone: ZONE });
      const config = parseConfig(
        {
          terminal: { name: "demo-door", timeZone: ZONE, dataDir, clockTrust: "system" },
          server: { baseUrl: simulator.url, loginEmail: SEED_ADMIN.loginEmail },
          reader: { type: "stdin" },
          entry: { timeTypeId: SEED_TIME_TYPES.workingHours.id },
          pairing: { minGapSeconds: minGap, maxShiftHours: 12 },
          sync: { concurrency: 2, retryBaseMs: 500, retryMaxMs: 5000 },
        },
        "(built-in demo configuration)",
      );
      const loaded: LoadedConfig = {
        path: "(built-in demo configuration)",
        config,
        apiPassword: SEED_ADMIN.apiPassword,
        passwordSource: "server.apiPassword",
        passwordProblem: undefined,
        warnings: [],
      };
      const setupDb = openDatabase(dataDir, { logger: silentLogger() });
      new BadgeRepository(setupDb, systemClock).putAll(
        DEMO_BADGES.map((badge) => ({ ...badge, knownBits: 40 as const })),
      );
      setupDb.close();

      const logger = createLogger({ level: "info", redactBadges: false }, demoLogStream(out));
      const daemon = await startDaemon(loaded, {
        clock: systemClock,
        logger,
        feedback: createLogFeedback(silentLogger()),
        clockProbe: createClockProbe(),
        // The demo is never a systemd service: without NOTIFY_SOCKET every notification is a no-op.
        notifier: createSystemdNotifier({ env: {}, logger }),
        stdin: process.stdin,
      });

      out.write(
        `${[
          "",
          `timeclock demo: a terminal booking into a GoodTime simulator at ${simulator.url}`,
          "Type a badge number and press Enter. Mapped badges:",
          ...DEMO_BADGES.map((b) => `  ${b.badgeId}  ${b.name} <${b.email}>`),
          `Tap a badge once to clock in and again (at least ${minGap} s later) to clock out.`,
          "Try an unknown one too, e.g. 1234567890. Press Ctrl+C (or Ctrl+D) to quit.",
          "",
        ].join("\n")}\n`,
      );

      const seen = new Set<string>();
      const poll = setInterval(() => {
        for (const entry of simulator.state.entries()) {
          if (seen.has(entry.id)) continue;
          seen.add(entry.id);
          out.write(
            `  GoodTime received: ${entry.userEmail}  ${local(entry.start)} → ${local(entry.end)}  (${ZONE}, whole minutes)\n`,
          );
        }
      }, 300);

      await Promise.race([untilStopSignal(), daemon.ended]);
      clearInterval(poll);
      await daemon.stop();
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
      out.write("demo finished; its temporary data was removed\n");
    });
}
