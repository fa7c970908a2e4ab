import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { benchUsers, seedFor } from "../../bench/fixtures.js";
import { type ScratchPostgres, startScratchPostgres } from "../../bench/postgres.js";
import { type Door, startSiteDoors } from "../../bench/site-doors.js";
import { startSimulator } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";
import { closedPort } from "../helpers/net.js";
import { tempDir } from "../helpers/temp.js";
import { tapAt } from "../site/door-helpers.js";
import { CHROMIUM, CHROMIUM_ARGS, CONSOLE_PASSWORD } from "./console-site.js";
import { until } from "./daemon-site.js";

/**
 * A site door's console in Debian's Chromium: the status page shows the site beside the door,
 * the queue page shows and fixes the site's entries, and with the site database down the queue
 * page says so, naming it, instead of showing an empty queue.
 */

let postgres: ScratchPostgres;
beforeAll(async () => {
  postgres = await startScratchPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.close();
});

it("shows the site on the status page, fixes a refused site entry on the queue page and reports the site's hours", async () => {
  const users = benchUsers(2, "console", 0x14);
  const [anna, ghost] = users as [(typeof users)[0], (typeof users)[0]];
  const sim = await startSimulator({ seed: seedFor([anna]) });
  const site = await startSiteDoors({
    root: tempDir("timeclock-console-site-"),
    postgres,
    sim,
    users,
    doors: 1,
  });
  const [door] = site.doors as [Door];
  const port = await closedPort();
  const config = JSON.parse(readFileSync(door.configPath, "utf8"));
  config.console = { enabled: true, listen: "127.0.0.1", port, locale: "en" };
  writeFileSync(door.configPath, JSON.stringify(config));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const set = await runCaptured(["--config", door.configPath, "console", "password"], {
      env: door.env,
      stdin: `${CONSOLE_PASSWORD}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    const daemon = await door.start();
    await daemon.waitFor((r) => r.msg === "console listening", "the console", 30_000);
    await tapAt(door, ghost.badgeId, "clock-in");
    await tapAt(door, ghost.badgeId, "clock-out");

    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: "en-US" });
    const page = await context.newPage();
    const url = `https://127.0.0.1:${port}`;
    await page.goto(`${url}/`);
    await page.getByLabel("Password").fill(CONSOLE_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${url}/`);

    const siteSection = page.locator("#site-status");
    await until(
      async () => {
        await page.goto(`${url}/`);
        return (await siteSection.textContent())?.includes("1 refused") ?? false;
      },
      "the refused entry in the site backlog on the status page",
      90_000,
    );
    await expect(siteSection.getByRole("heading", { name: "Site" }).count()).resolves.toBe(1);
    const text = (await siteSection.textContent()) ?? "";
    expect(text).toMatch(/timeclock@127\.0\.0\.1:\d+\/site\d+/);
    expect(text).toContain("door-a (this door)");
    expect(text).toContain("1 entry refused by GoodTime");
    expect(text).toContain("timeclock queue --state refused");

    await page.goto(`${url}/queue?state=refused`);
    const card = page.locator("article.entry", { hasText: ghost.email });
    await expect(card.count()).resolves.toBe(1);
    await card.getByText("Change and book again").click();
    await card.getByLabel("Person").fill(anna.email);
    await card.getByRole("button", { name: "Save and book" }).click();
    await page.waitForURL(`${url}/queue`);
    await until(
      () => sim.state.entries().some((entry) => entry.userEmail === anna.email),
      "the edited entry booked for Anna",
      90_000,
    );
    expect(sim.state.entries().map((entry) => entry.userEmail)).toEqual([anna.email]);

    // The shift is a site entry (the door's journal holds none): the report counts it for Anna.
    await page.goto(`${url}/reports`);
    const report = page.locator("table.report");
    await expect(report.locator("tbody").textContent()).resolves.toContain(anna.email);
    await expect(report.locator("tbody").textContent()).resolves.not.toContain(ghost.email);
    const csvLink = await page
      .getByRole("link", { name: "Download CSV for payroll" })
      .getAttribute("href");
    const csv = await context.request.get(`${url}${csvLink}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toMatch(new RegExp(`^${anna.email},total .*,1,0,no,0\r$`, "m"));

    await postgres.stop();
    const down = await page.goto(`${url}/queue`);
    expect(down?.status()).toBe(503);
    await expect(page.locator("body").textContent()).resolves.toMatch(
      /The site database does not answer.*timeclock@127\.0\.0\.1:\d+\/site\d+ does not answer/s,
    );
    const reportDown = await page.goto(`${url}/reports`);
    expect(reportDown?.status()).toBe(503);
    await expect(page.locator("body").textContent()).resolves.toMatch(
      /timeclock@127\.0\.0\.1:\d+\/site\d+ does not answer/,
    );
    await page.goto(`${url}/`);
    await expect(page.locator("#site-status").textContent()).resolves.toContain("does not answer");
    await context.close();
  } finally {
    await postgres.start();
    await browser.close();
    await site.close();
    await sim.close();
  }
}, 240_000);
