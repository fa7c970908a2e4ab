import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_USERS } from "../../src/simulator/index.js";
import { tempDir } from "../helpers/temp.js";
import { KIOSK_SHOTS, KioskSite, SCREENS } from "./kiosk-site.js";

/**
 * The forgotten badge in Debian's Chromium, through the real daemon: an admin sets PINs with
 * `timeclock badges pin` (its own process), an employee picks their name on the kiosk page, a
 * wrong PIN is refused, the right one is a tap with the source "pin" that the screen greets like
 * a badge's and the export marks; wrong PINs lock a badge, and a restart does not lift the lock.
 */

const ANNA = "0A00000001";
const JOERG = "0B00000002";
const CLARA = "0C00000003";
const CLI = resolve("dist/cli/main.js");

let site: KioskSite;
let touch: Page;

function timeclock(input: string, ...argv: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...argv, "--config", site.configPath], {
    input,
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function shot(name: string): Promise<void> {
  await touch.screenshot({ path: join(KIOSK_SHOTS, `pin-${name}-800x480.png`) });
}

async function typePin(digits: string): Promise<void> {
  for (const digit of digits) await touch.getByRole("button", { name: `digit ${digit}` }).click();
  await touch.getByRole("button", { name: "OK", exact: true }).click();
}

describe("a forgotten badge on the kiosk page", () => {
  beforeAll(async () => {
    site = new KioskSite(tempDir("timeclock-kiosk-pin-"));
    await site.start({
      badges: [
        { badgeId: ANNA, knownBits: 40, email: SEED_USERS.anna, name: "Anna Schmidt" },
        { badgeId: JOERG, knownBits: 40, email: SEED_USERS.ben, name: "Jörg Ärger-Çelik" },
        { badgeId: CLARA, knownBits: 40, email: SEED_USERS.clara, name: "Clara Weiß" },
      ],
      kiosk: { pin: { enabled: true, wrongBeforeLock: 3, lockMinutes: 15 } },
      minGapSeconds: 3,
    });
    expect(timeclock("480815\n", "badges", "pin", SEED_USERS.anna).code).toBe(0);
    expect(timeclock("902714\n", "badges", "pin", CLARA).code).toBe(0);
    touch = await site.page(SCREENS.touch7);
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  });

  it("lists those with a PIN, refuses a wrong PIN and taps in with the right one", async () => {
    await touch.getByRole("button", { name: "Forgot badge?" }).click();
    const names = touch.locator("[data-pin-people] button");
    await names.first().waitFor();
    expect(await names.allTextContents()).toEqual(["Anna Schmidt", "Clara Weiß"]);
    await shot("01-names");

    await touch.getByRole("button", { name: "Anna Schmidt" }).click();
    await typePin("111111");
    const message = touch.locator("[data-pin-message]");
    await expect.poll(() => message.textContent()).toBe("Wrong PIN. 2 tries left before it locks.");
    await shot("02-wrong");
    await touch.locator('[data-screen="idle"]').waitFor();

    await typePin("480815");
    await touch.locator('[data-screen="clock-in"]').waitFor({ timeout: 10_000 });
    expect(await touch.locator("[data-pin-dialog]").isVisible()).toBe(false);
    expect(await touch.locator(".name").textContent()).toBe("Anna Schmidt");
    expect(await touch.locator(".direction").textContent()).toBe("In");
    await shot("03-in");

    const day = new Date().toISOString().slice(0, 10);
    const taps = timeclock("", "export", "--from", day, "--to", day, "--what", "taps");
    const rows = taps.stdout.trimEnd().split("\r\n");
    expect(rows[0]?.split(",").at(-1)).toBe("source");
    const annas = rows.filter((row) => row.includes(SEED_USERS.anna));
    expect(annas).toHaveLength(1);
    expect(annas[0]).toMatch(/,clock-in,.*,pin$/);
    expect(taps.stdout).not.toContain("480815");
  });

  it("locks a name after wrong PINs, says until when, and keeps the lock over a restart", async () => {
    await touch.getByRole("button", { name: "Forgot badge?" }).click();
    await touch.getByRole("button", { name: "Clara Weiß" }).click();
    const message = touch.locator("[data-pin-message]");
    // Typed on a keyboard, as the pad takes it too.
    for (const guess of ["1111", "2222"]) {
      await touch.keyboard.type(guess);
      await touch.keyboard.press("Enter");
      await expect.poll(() => message.textContent()).toMatch(/^Wrong PIN/);
      await message.evaluate((node) => {
        node.textContent = "";
      });
    }
    await touch.keyboard.type("3333");
    await touch.keyboard.press("Enter");
    await expect
      .poll(() => message.textContent())
      .toMatch(
        /^Too many wrong PINs: locked until \d\d:\d\d\. Use your badge or see the office\.$/,
      );
    await typePin("902714");
    await expect.poll(() => message.textContent()).toMatch(/^Too many wrong PINs/);
    await shot("04-locked");

    await site.restartDaemon();
    await touch.reload();
    await touch.getByRole("button", { name: "Forgot badge?" }).click();
    const clara = touch.locator("[data-pin-people] button", { hasText: "Clara Weiß" });
    await expect.poll(() => clara.textContent()).toMatch(/locked until \d\d:\d\d$/);
    await shot("05-locked-after-restart");
    await clara.click();
    await typePin("902714");
    await expect.poll(() => message.textContent()).toMatch(/^Too many wrong PINs/);
    expect(timeclock("", "badges", "list").stdout).toMatch(/0C00000003 .* locked until /);
    await touch.getByRole("button", { name: "Cancel" }).click();
  });

  it("shows no button and lists no names when the feature is off", async () => {
    site.reconfigure((config) => {
      (config.display as { kiosk: { pin: { enabled: boolean } } }).kiosk.pin.enabled = false;
    });
    await site.restartDaemon();
    await touch.reload();
    expect(await touch.getByRole("button", { name: "Forgot badge?" }).count()).toBe(0);
    const status = await touch.evaluate(
      async () => (await fetch("/people", { headers: { "x-timeclock-kiosk": "1" } })).status,
    );
    expect(status).toBe(404);
  });
});
