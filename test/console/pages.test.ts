import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { listAudit, listBadges, READ_ONLY_LINK, tryPin } from "../../src/admin/index.js";
import { BadgeRepository } from "../../src/store/badges.js";
import { tapper } from "../admin/seed.js";
import { consoleUnderTest } from "./harness.js";

/** Pages the browser tests do not walk through, in-process on a real SQLite file. */

describe("the console's pages", () => {
  it("imports a badge CSV uploaded as a file, with the form token in the upload", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const page = await site.request("GET", "/badges");
    const form = new FormData();
    form.set("_csrf", site.csrf(page.body));
    form.set(
      "file",
      new Blob([
        "badge,email,name,timeTypeId,projectId\r\n0F00A1B2C3,anna@example.com,Anna,,\r\n0x0010597059,ben@example.com,,,\r\n",
      ]),
      "badges.csv",
    );
    const imported = await site.request("POST", "/badges/import", form);
    expect(imported.status).toBe(303);
    const after = await site.request("GET", "/badges");
    expect(after.body).toContain("Imported: 2 added, 0 changed.");
    const admin = {
      db: site.db,
      clock: site.clock,
      config: site.config,
      daemon: READ_ONLY_LINK,
      actor: "t",
    };
    expect(listBadges(admin).map((badge) => badge.email)).toEqual([
      "anna@example.com",
      "ben@example.com",
    ]);
    expect(site.told).toMatchObject([{ type: "badges-changed", action: "import", count: 2 }]);

    const exported = await site.request("GET", "/badges.csv");
    expect(exported.headers.get("content-disposition")).toContain("badges.csv");
    expect(exported.body).toContain("0F00A1B2C3,anna@example.com,Anna,,");

    const bad = new FormData();
    bad.set("_csrf", site.csrf(after.body));
    bad.set(
      "file",
      new Blob(["badge,email,name,timeTypeId,projectId\r\nnot-a-badge,nobody,,,\r\n"]),
      "bad.csv",
    );
    await site.request("POST", "/badges/import", bad);
    const refused = await site.request("GET", "/badges");
    expect(refused.body).toContain("The file was refused; nothing was written.");
    expect(refused.body).toContain("line 2");
  });

  it("sets, unlocks and removes a badge's PIN on its page, naming a weak PIN or a typo", async () => {
    const site = await consoleUnderTest();
    await site.login();
    new BadgeRepository(site.db, site.clock).putAll([
      { badgeId: "0F00A1B2C3", knownBits: 40, email: "anna@example.com", name: "<b>Anna</b>" },
    ]);
    const deps = { db: site.db, clock: site.clock };
    const policy = { wrongBeforeLock: 3, lockMinutes: 15 };
    const page = await site.request("GET", "/badges/0F00A1B2C3");
    expect(page.body).toContain("No PIN is set.");
    expect(page.body).toContain('inputmode="numeric"');
    const set = (pin: string, pinAgain: string, csrf = site.csrf(page.body)) =>
      site.request("POST", "/badges/0F00A1B2C3/pin", { pin, pinAgain, _csrf: csrf });

    expect((await set("480815", "480815", "forged")).status).toBe(403);
    const typo = await set("480815", "480816");
    expect(typo.status).toBe(400);
    expect(typo.body).toContain("The two PINs differ; nothing was changed.");
    const weak = await set("1234", "1234");
    expect(weak.status).toBe(400);
    expect(weak.body).toContain("counts up or down");
    expect(weak.body).not.toContain('value="1234"');
    expect((await set("480815", "480815")).status).toBe(303);
    expect(await tryPin(deps, "0F00A1B2C3", "480815", policy)).toMatchObject({ outcome: "right" });

    for (const guess of ["1", "2", "3"]) await tryPin(deps, "0F00A1B2C3", guess, policy);
    const locked = await site.request("GET", "/badges");
    expect(locked.body).toMatch(/Locked after wrong PINs until/);
    const badgePage = await site.request("GET", "/badges/0F00A1B2C3");
    expect(badgePage.body).not.toContain("<b>Anna</b>");
    const unlock = await site.request("POST", "/badges/0F00A1B2C3/pin/unlock", {
      _csrf: site.csrf(badgePage.body),
    });
    expect(unlock.status).toBe(303);
    expect(await tryPin(deps, "0F00A1B2C3", "480815", policy)).toMatchObject({ outcome: "right" });
    const clear = await site.request("POST", "/badges/0F00A1B2C3/pin/clear", {
      _csrf: site.csrf(badgePage.body),
    });
    expect(clear.status).toBe(303);
    expect(await tryPin(deps, "0F00A1B2C3", "480815", policy)).toEqual({ outcome: "no-pin" });
    const admin = {
      db: site.db,
      clock: site.clock,
      config: site.config,
      daemon: READ_ONLY_LINK,
      actor: "t",
    };
    const audit = (await listAudit(admin, { limit: 10 })).filter((event) =>
      event.action.startsWith("badge.pin."),
    );
    expect(audit.map((event) => event.action)).toEqual([
      "badge.pin.set",
      "badge.pin.unlock",
      "badge.pin.clear",
    ]);
    expect(audit[0]?.actor).toMatch(/^console:/);
    expect(JSON.stringify(audit)).not.toContain("480815");

    tapper(site.db, site.clock)("0F00A1B2C3", 40, true, "pin");
    const taps = await site.request("GET", "/taps");
    expect(taps.body).toContain('<strong class="mark mark-pin">PIN</strong>');
  });

  it("downloads a consistent copy of the database, records it, and keeps no copy behind", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const response = await fetch(`${site.base}/backup/download`, {
      headers: { cookie: [...site.jar].map(([name, value]) => `${name}=${value}`).join("; ") },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(
      /attachment; filename="timeclock-test-door-\d{8}-\d{6}\.db"/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\u0000");
    // Rollback journal mode (file format bytes 18 and 19 are 1): the copy opens without a -wal.
    expect([bytes[18], bytes[19]]).toEqual([1, 1]);
    const admin = {
      db: site.db,
      clock: site.clock,
      config: site.config,
      daemon: READ_ONLY_LINK,
      actor: "t",
    };
    // The copy is deleted once its stream has closed, which may be a moment after the last byte.
    await expect
      .poll(() => readdirSync(site.dir).filter((name) => name.startsWith("timeclock-backup-")))
      .toEqual([]);
    expect((await listAudit(admin, { limit: 5 })).at(-1)).toMatchObject({
      action: "backup.copy",
      actor: expect.stringMatching(/^console:127\.0\.0\.1#/),
    });
  });

  it("shows the taps filtered, and says what is wrong with a filter next to the form", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const empty = await site.request(
      "GET",
      "/taps?email=anna%40example.com&from=2026-03-01&to=2026-03-10",
    );
    expect(empty.status).toBe(200);
    expect(empty.body).toContain("No taps match.");
    const wrong = await site.request("GET", "/taps?from=10.03.2026");
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("from &quot;10.03.2026&quot; is not a date such as 2026-03-01");
  });

  it("refuses a report range the wrong way round with the reason", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const answer = await site.request("GET", "/reports?from=2026-03-10&to=2026-03-01&period=week");
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("to 2026-03-01 is before from 2026-03-10");
  });

  it("answers in German when the browser asks for it", async () => {
    const site = await consoleUnderTest();
    const answer = await site.request("GET", "/login", undefined, {
      headers: { "accept-language": "de-CH,de;q=0.9" },
    });
    expect(answer.body).toContain('<html lang="de">');
    expect(answer.body).toContain("Anmelden");
  });
});
