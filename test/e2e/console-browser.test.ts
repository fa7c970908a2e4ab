import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_PROJECTS, SEED_USERS } from "../../src/simulator/index.js";
import { tempDir } from "../helpers/temp.js";
import { ConsoleSite, DESKTOP, PHONE, SHOTS } from "./console-site.js";

/**
 * The console in a real browser, through the real daemon: Chromium (Debian's, driven by
 * Playwright) on the console that `timeclock run` serves over HTTPS, a socat pseudo-terminal as
 * the door's reader, and the simulator as GoodTime.
 */

const ANNA = "0A00000001";
const BEN = "0B00000002";
const NEW_BADGE = "0C0000C0DE";
const CLARA = "0D00000004";
const EMIL = "0D00000005";
const XSS = "<img src=x onerror=alert(1)>";

const zone = "Europe/Berlin";
const yesterday = DateTime.now().setZone(zone).minus({ days: 1 }).startOf("day");
const at = (hour: number, minute = 0) => yesterday.set({ hour, minute }).toJSDate();

let site: ConsoleSite;

/** Waits, polling, until `check` returns something other than undefined. */
async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const bookedFor = (email: string) =>
  site.sim.state.entries().filter((entry) => entry.userEmail === email);

describe("the web console in a browser", () => {
  beforeAll(async () => {
    site = new ConsoleSite(tempDir("timeclock-console-e2e-"));
    await site.start({
      badges: [
        { badgeId: ANNA, knownBits: 40, email: SEED_USERS.anna, name: "Anna Schmidt" },
        { badgeId: BEN, knownBits: 40, email: SEED_USERS.ben },
        // Clara is not assigned to the warehouse: GoodTime refuses her entries.
        {
          badgeId: CLARA,
          knownBits: 40,
          email: SEED_USERS.clara,
          projectId: SEED_PROJECTS.warehouse.id,
        },
        {
          badgeId: EMIL,
          knownBits: 40,
          email: SEED_USERS.emil,
          projectId: SEED_PROJECTS.warehouse.id,
        },
      ],
      history: [
        { badgeId: ANNA, start: at(8), end: at(16, 30) },
        { badgeId: BEN, start: at(9), end: at(12, 15) },
      ],
    });
    await until("the history booked", () =>
      site.sim.state.entries().length === 2 ? true : undefined,
    );
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  });

  it("logs in with the password, and refuses a wrong one next to the field", async () => {
    const context = await site.context({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${site.url}/queue`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect.poll(() => page.locator("#password-error").textContent()).toBe("Wrong password.");
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Password").fill("the console test password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${site.url}/queue`);
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "__Host-timeclock-session")).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
    });
    await context.close();
  });

  it("enrols a badge tapped at the reader, and books that person's next two taps", async () => {
    const context = await site.context();
    const page = await context.newPage();
    await site.login(page);
    await page.getByRole("link", { name: "Enrol" }).click();
    await page.getByRole("button", { name: "Arm the reader" }).click();
    await page.getByText("Tap the new badge at the reader now").waitFor();
    site.tap(NEW_BADGE);
    // The page hears of the capture over its event stream and shows the badge.
    await page.getByText(`Badge ${NEW_BADGE} was tapped.`).waitFor({ timeout: 10_000 });
    await page.getByLabel("Person (GoodTime user)").selectOption(SEED_USERS.deniz);
    await page.getByLabel("Name (optional)").fill("Deniz Kaya");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText(`Badge ${NEW_BADGE} now belongs to ${SEED_USERS.deniz}.`).waitFor();
    expect(
      site.daemon.records.some((line) =>
        String(line.msg).startsWith("badge captured for enrolment"),
      ),
    ).toBe(true);
    expect(
      site.daemon.records.some(
        (line) => line.badge === NEW_BADGE && String(line.msg).startsWith("tap "),
      ),
    ).toBe(false);

    site.tap(NEW_BADGE);
    await site.daemon.waitFor(
      (line) => line.badge === NEW_BADGE && line.outcome === "clock-in",
      "the clock-in",
    );
    site.tap(NEW_BADGE);
    const booked = await until("Deniz's entry at GoodTime", () => bookedFor(SEED_USERS.deniz)[0]);
    expect(booked).toMatchObject({ userEmail: SEED_USERS.deniz });
    await page.getByRole("link", { name: "Admin record" }).click();
    await expect.poll(() => page.locator("tbody tr").first().textContent()).toContain("badge.add");
    expect(await page.locator("tbody tr").first().textContent()).toMatch(/console:127\.0\.0\.1#/);
    await context.close();
  });

  it("fixes refused entries: one by editing it, one by retrying after the badge's mapping is fixed", async () => {
    // Two people who are not assigned to the warehouse project their badges name.
    for (const [i, badge] of [CLARA, EMIL].entries()) {
      site.tap(badge);
      await site.daemon.waitFor(
        (line) => line.badge === badge && line.outcome === "clock-in",
        "the clock-in",
      );
      site.tap(badge);
      await until("the refusal", () =>
        site.daemon.records.filter(
          (line) => line.msg === "server refused the entry; parked for an admin",
        ).length ===
        i + 1
          ? true
          : undefined,
      );
    }
    const context = await site.context({ viewport: PHONE });
    const page = await context.newPage();
    await site.login(page);
    await page.goto(`${site.url}/queue?state=refused`);
    const cards = page.locator("article.entry");
    expect(await cards.count()).toBe(2);
    // GoodTime's reason, in full.
    expect(await cards.first().locator(".reason").textContent()).toMatch(/project/i);

    const first = cards.first();
    await first.getByText("Change and book again").click();
    await first.getByLabel("Project (optional)").fill(SEED_PROJECTS.workshop.id);
    await first.getByRole("button", { name: "Save and book" }).click();
    await page.getByText(/was changed and goes out again/).waitFor();
    const edited = await until(
      "Clara's first entry at GoodTime",
      () => bookedFor(SEED_USERS.clara)[0],
    );
    expect(edited.projectId).toBe(SEED_PROJECTS.workshop.id);

    await page.goto(`${site.url}/badges/${EMIL}`);
    await page.getByLabel("Project (optional)").selectOption(SEED_PROJECTS.customerSite.id);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText(/was changed/).waitFor();
    await page.goto(`${site.url}/queue?state=refused`);
    await page.getByRole("button", { name: "Retry with the current mapping" }).click();
    await page.getByText(/goes out again/).waitFor();
    const retried = await until("Emil's entry at GoodTime", () => bookedFor(SEED_USERS.emil)[0]);
    expect(retried.projectId).toBe(SEED_PROJECTS.customerSite.id);
    await page.goto(`${site.url}/queue?state=refused`);
    await page.getByText("No entries here.").waitFor();
    await context.close();
  });

  it("downloads yesterday's report for payroll with the right totals", async () => {
    const context = await site.context();
    const page = await context.newPage();
    await site.login(page);
    const day = yesterday.toISODate() ?? "";
    await page.goto(`${site.url}/reports?from=${day}&to=${day}&period=day`);
    const total = page.locator("tfoot tr");
    expect((await total.textContent())?.replace(/\s+/g, " ")).toContain("11.75");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV for payroll" }).click(),
    ]);
    const csv = readFileSync((await download.path()) ?? "", "utf8")
      .trimEnd()
      .split("\r\n");
    expect(csv[0]).toBe("person,day,hours,minutes,entries,not booked yet,open shift,by PIN");
    expect(csv).toContain(`${SEED_USERS.anna},${day},8.50,510,1,0,no,0`);
    expect(csv).toContain(`${SEED_USERS.ben},${day},3.25,195,1,0,no,0`);
    expect(csv.at(-1)).toBe(`all,total ${day} to ${day},11.75,705,2,0,no,0`);
    await context.close();
  });

  it("shows a badge named like markup as text, and runs no script of it", async () => {
    const context = await site.context();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await site.login(page);
    await page.goto(`${site.url}/badges/new`);
    await page.getByLabel("Badge", { exact: true }).fill("0E0000BEEF");
    await page.getByLabel("GoodTime login email").fill(SEED_USERS.emil);
    await page.getByLabel("Name (optional)").fill(XSS);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText(/0E0000BEEF now belongs to/).waitFor();
    await expect.poll(() => page.getByRole("cell", { name: XSS, exact: true }).count()).toBe(1);
    expect(await page.locator("main img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it("shows German to a browser that asks for it", async () => {
    const context = await site.context({ locale: "de-DE" });
    const page = await context.newPage();
    await site.login(page);
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect(
      await page
        .getByRole("navigation", { name: "Hauptmenü" })
        .getByRole("link", { name: "Ausweise" })
        .count(),
    ).toBe(1);
    await context.close();
  });

  it("has no serious accessibility violation on any page, on a phone or a desktop", async () => {
    const axe = readFileSync(join("node_modules", "axe-core", "axe.min.js"), "utf8");
    const pages = [
      "/",
      "/badges",
      "/badges/new",
      `/badges/${ANNA}`,
      "/enrol",
      "/queue?state=all",
      "/reports",
      "/taps",
      "/audit",
      "/backup",
    ];
    const found: string[] = [];
    for (const viewport of [PHONE, DESKTOP]) {
      // axe is injected as a script, which the console's CSP forbids: only this context bypasses it.
      const context = await site.context({ viewport, bypassCSP: true });
      const page = await context.newPage();
      const check = async (name: string) => {
        await page.addScriptTag({ content: axe });
        // Runs in the page (this file is compiled without the DOM's types).
        const violations = (await page.evaluate(`axe.run(document).then((result) =>
          result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")) })))`)) as {
          id: string;
          impact: string;
          targets: string[];
        }[];
        for (const violation of violations) {
          if (violation.impact === "serious" || violation.impact === "critical") {
            found.push(
              `${name} at ${viewport.width}px: ${violation.id} (${violation.impact}) ${violation.targets.slice(0, 3).join(", ")}`,
            );
          }
        }
        await page.screenshot({
          path: join(SHOTS, `${name}-${viewport.width}.png`),
          fullPage: true,
        });
      };
      await page.goto(`${site.url}/login`);
      await check("login");
      await site.login(page);
      for (const path of pages) {
        await page.goto(`${site.url}${path}`);
        await check(path === "/" ? "status" : path.slice(1).replace(/[^\w]+/g, "-"));
      }
      await page.goto(`${site.url}/enrol`);
      await page.getByRole("button", { name: "Arm the reader" }).click();
      await page.getByText("Tap the new badge at the reader now").waitFor();
      await check("enrol-waiting");
      site.tap(`0F0000000${viewport === PHONE ? 1 : 2}`);
      await page.getByText(/was tapped\./).waitFor({ timeout: 10_000 });
      await check("enrol-captured");
      await context.close();
    }
    expect(found).toEqual([]);
  }, 120_000);

  it("serves the certificate whose fingerprint status prints", async () => {
    const { connect } = await import("node:tls");
    const served = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: "127.0.0.1", port: site.port, rejectUnauthorized: false },
        () => {
          resolve(socket.getPeerCertificate().fingerprint256);
          socket.end();
        },
      );
      socket.once("error", reject);
    });
    const { runCaptured } = await import("../helpers/cli.js");
    const status = await runCaptured(["--config", site.configPath, "status", "--json"], {
      env: site.env,
    });
    expect(JSON.parse(status.stdout).console).toMatchObject({ enabled: true, fingerprint: served });
    const text = await runCaptured(["--config", site.configPath, "status"], { env: site.env });
    const [head = "", tail = ""] = [
      served.split(":").slice(0, 16).join(":"),
      served.split(":").slice(16).join(":"),
    ];
    expect(text.stdout).toContain(`SHA-256 ${head}`);
    expect(text.stdout).toContain(tail);
    expect(text.stdout.split("\n").filter((line) => line.length > 80)).toEqual([]);
  });
});
