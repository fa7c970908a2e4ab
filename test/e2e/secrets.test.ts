import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import type { EchoEncoding } from "../../src/simulator/index.js";
import { openDatabase } from "../../src/store/database.js";
import { leaksOf } from "../helpers/leaks.js";
import { daemonSite, shiftsOf, until } from "./daemon-site.js";

/**
 * A server that quotes every request back, body and headers, in every encoding: through the real
 * daemon, neither the password (with ", \, %, spaces and non-ASCII) nor a token reaches the log,
 * the database, status --json, queue --json or the export.
 */

const PASSWORD = 'Zq"8\\ tür%41 €/+x&<y>';
/** Any JSON web token (the simulator issues JWTs): its header is base64 of '{"'. */
const JWT = /eyJ[\w-]{8,}\.[\w-]{8,}/;
const ENCODINGS: EchoEncoding[] = ["json", "text", "url", "base64", "base64url"];

function tokenLeaks(text: string): string[] {
  const found = JWT.test(text) ? ["a JWT"] : [];
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    for (let skip = 0; skip < 4; skip++) {
      for (const alphabet of ["base64", "base64url"] as const) {
        const decoded = Buffer.from(run.slice(skip), alphabet).toString("latin1");
        if (JWT.test(decoded)) found.push(`a JWT in ${alphabet}`);
      }
    }
  }
  return found;
}

describe("secrets echoed by a server, through the real daemon", () => {
  it("never reach the log, the database, status, queue or export", async () => {
    // Pauses of 0.2 to 3 s leave the echoes of the login in status long enough to be seen.
    const site = await daemonSite({
      users: 2,
      password: PASSWORD,
      retryBaseMs: 200,
      retryMaxMs: 3000,
    });
    const { faults } = site.sim;
    for (const [i, encoding] of ENCODINGS.entries()) {
      faults.answerNext(
        1,
        { kind: "echo", encoding, status: [500, 400, 502, 503, 409][i] },
        {
          path: "login",
        },
      );
    }
    // One booking is refused with an echo of the request (the token in its header)...
    faults.answerNext(1, { kind: "echo", status: 422 }, { path: "createtimeentry" });
    // ...the other fails with an echo in base64, then its lookup with one form-encoded.
    faults.answerNext(
      1,
      { kind: "echo", status: 503, encoding: "base64" },
      {
        path: "createtimeentry",
      },
    );
    faults.answerNext(1, { kind: "echo", status: 500, encoding: "url" }, { path: "timeentries" });

    const daemon = site.start();
    await daemon.waitFor((r) => r.msg === "terminal ready", "readiness");
    await shiftsOf(site, daemon);
    // While the login answers with echoes, status and queue carry the (scrubbed) excerpts.
    const during: [string, string][] = [];
    await until(async () => {
      const status = (await site.cli("status", "--json")).stdout;
      const queue = (await site.cli("queue", "--json")).stdout;
      during.splice(
        0,
        2,
        ["status --json while paused", status],
        ["queue --json while paused", queue],
      );
      // Each shows the echo scrubbed now, or (before the fix) the password itself.
      const echoed = (text: string) =>
        text.includes("[redacted]") || leaksOf(text, PASSWORD).length > 0;
      return echoed(status) && echoed(queue);
    }, "an echo of the login in status and queue");
    await until(
      () => site.outbox().every((e) => e.state === "booked" || e.state === "refused"),
      "every entry booked or refused",
    );
    await daemon.stop("SIGTERM");

    const today = DateTime.now().setZone("Europe/Berlin");
    const from = today.minus({ days: 1 }).toISODate() ?? "";
    const to = today.plus({ days: 1 }).toISODate() ?? "";
    const db = openDatabase(site.dataDir, { logger: silentLogger(), check: false });
    const stored = JSON.stringify([
      db.prepare("SELECT * FROM entries").all(),
      db.prepare("SELECT * FROM runtime_status").all(),
      db.prepare("SELECT * FROM taps").all(),
    ]);
    db.close();
    const outputs: [string, string][] = [
      ...during,
      ["the log", daemon.records.map((r) => JSON.stringify(r)).join("\n") + daemon.stderr.join("")],
      ["the database", stored],
      ["status --json", (await site.cli("status", "--json")).stdout],
      ["status", (await site.cli("status")).stdout],
      ["queue --json", (await site.cli("queue", "--json", "--state", "all")).stdout],
      ["export", (await site.cli("export", "--from", from, "--to", to)).stdout],
    ];
    expect(outputs.map(([, text]) => text.length > 0)).not.toContain(false);
    for (const [where, text] of outputs) {
      expect(leaksOf(text, PASSWORD), where).toEqual([]);
      expect(tokenLeaks(text), where).toEqual([]);
    }
    const scrubbed = outputs.filter(([where]) => where === "the log" || where.endsWith("paused"));
    expect(scrubbed).toHaveLength(3);
    for (const [where, text] of scrubbed) expect(text, where).toContain("[redacted]");

    expect(site.sim.state.counters.injectedFailures).toBe(ENCODINGS.length + 3);
    expect(
      site
        .outbox()
        .map((e) => e.state)
        .sort(),
    ).toEqual(["booked", "refused"]);
    const refused = site.outbox().find((e) => e.state === "refused");
    // Only a short excerpt of the echo is kept.
    expect(refused?.lastError?.length).toBeLessThan(600);
  }, 60_000);
});
