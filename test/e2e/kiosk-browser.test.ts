import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DateTime } from "luxon";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendControl } from "../../src/control/client.js";
import { controlSocketPath } from "../../src/control/protocol.js";
import { SEED_USERS } from "../../src/simulator/index.js";
import { tempDir } from "../helpers/temp.js";
import { KIOSK_SHOTS, KioskSite, SCREENS } from "./kiosk-site.js";

/**
 * The kiosk page in Debian's Chromium, through the real daemon: taps at a socat pseudo-terminal
 * reader, `timeclock run` serving the page from its console process, the simulator as GoodTime.
 * Every state is photographed at 800x480 (the official 7" touchscreen) and 1280x800 into
 * test-output/kiosk/.
 */

const ANNA = "0A00000001";
const JOERG = "0B00000002";
const CLARA = "0C00000003";
const STRANGER = "0E0000000E";
const NEW_BADGE = "0D0000000D";
const GAP_S = 3;
const zone = "Europe/Berlin";

// A shift of two hours that ended an hour ago, tapped before the test (through the real journal).
const started = new Date();
const history = {
  start: new Date(started.getTime() - 3 * 3_600_000),
  end: new Date(started.getTime() - 3_600_000),
};
const local = DateTime.fromJSDate(started, { zone });
const historyStart = DateTime.fromJSDate(history.start, { zone });
const HISTORY_TODAY = historyStart >= local.startOf("day") ? 120 : 0;
const HISTORY_WEEK = historyStart >= local.startOf("week") ? 120 : 0;
const hours = (minutes: number) =>
  `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")} h`;

let site: KioskSite;
let touch: Page;
let hdmi: Page;

/** Waits until both screens show `kind`, then photographs them. */
async function shows(kind: string, shot: string): Promise<void> {
  for (const [name, page] of [
    ["800x480", touch],
    ["1280x800", hdmi],
  ] as const) {
    await page.locator(`[data-screen="${kind}"]`).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(KIOSK_SHOTS, `${shot}-${name}.png`) });
  }
}

const text = async (selector: string) =>
  (await touch.locator(selector).first().textContent())?.trim();
const hourCells = async (page: Page) =>
  Object.fromEntries(
    await page
      .locator(".hours div")
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.querySelector("dt")?.textContent,
          row.querySelector("dd")?.textContent,
        ]),
      ),
  );

describe("the kiosk page in a browser", () => {
  beforeAll(async () => {
    site = new KioskSite(tempDir("timeclock-kiosk-e2e-"));
    await site.start({
      badges: [
        { badgeId: ANNA, knownBits: 40, email: SEED_USERS.anna, name: "Anna Schmidt" },
        { badgeId: JOERG, knownBits: 40, email: SEED_USERS.ben, name: "Jörg Ärger-Çelik" },
        { badgeId: CLARA, knownBits: 40, email: SEED_USERS.clara, name: "Clara Weiß" },
      ],
      history: [{ badgeId: ANNA, ...history }],
      minGapSeconds: GAP_S,
    });
    touch = await site.page(SCREENS.touch7);
    hdmi = await site.page(SCREENS.hdmi);
  }, 60_000);

  afterAll(async () => {
    await site?.stop();
  });

  it("shows the time, the date and what to do while nobody taps", async () => {
    await shows("idle", "01-idle");
    expect(await text(".prompt")).toBe("Hold your badge to the reader");
    expect(await text("[data-clock]")).toMatch(/^\d\d:\d\d$/);
    expect(await text(".booking")).toBe("All shifts are booked");
    expect(await touch.getByRole("button", { name: "Out" }).isVisible()).toBe(true);
  });

  it("greets a clock-in by name with the hours of today and the week, the open shift included", async () => {
    site.tap(ANNA);
    await shows("clock-in", "02-clock-in");
    expect(await text(".direction")).toBe("In");
    expect(await text(".name")).toBe("Anna Schmidt");
    expect(await hourCells(touch)).toEqual({
      Today: hours(HISTORY_TODAY + 1),
      "This week": hours(HISTORY_WEEK + 1),
    });
  });

  it("says too soon when the badge is tapped again at once", async () => {
    site.tap(ANNA);
    await shows("too-soon", "03-too-soon");
    expect(await text(".name")).toBe("Anna Schmidt");
    expect(await text(".detail")).toContain(`less than ${GAP_S} s apart`);
  });

  it("shows the shift, today and the week on clock-out, as the booked span counts them", async () => {
    await sleep(GAP_S * 1000 + 200);
    site.tap(ANNA);
    await shows("clock-out", "04-clock-out");
    expect(await text(".direction")).toBe("Out");
    expect(await text(".name")).toBe("Anna Schmidt");
    // A shift of a few seconds is booked as its one minute.
    expect(await hourCells(touch)).toEqual({
      "This shift": hours(1),
      Today: hours(HISTORY_TODAY + 1),
      "This week": hours(HISTORY_WEEK + 1),
    });
    expect(await hourCells(hdmi)).toEqual(await hourCells(touch));
  });

  it("sends an unknown badge to the office with its ID", async () => {
    site.tap(STRANGER);
    await shows("unknown-badge", "05-unknown-badge");
    expect(await text(".direction")).toBe("Unknown badge");
    expect(await text(".detail")).toBe(`Badge ID ${STRANGER}`);
  });

  it("sets the next tap's meaning with a touch button, like a function key", async () => {
    await touch.getByRole("button", { name: "Out" }).tap();
    await shows("key", "06-key-out");
    expect(await text(".key")).toBe("Out");
    site.tap(JOERG);
    await shows("no-open-shift", "07-no-open-shift");
    expect(await text(".name")).toBe("Jörg Ärger-Çelik");
    expect(
      site.daemon.records.some(
        (line) => line.msg === "tap ignored" && String(line.reason).startsWith("the out key"),
      ),
    ).toBe(true);
  });

  it("asks for the new badge while an admin enrols one", async () => {
    const socket = controlSocketPath(site.dataDir);
    const armed = await sendControl(socket, { type: "enrol-arm", by: "cli:test" });
    if (
      !armed.delivered ||
      !armed.reply.ok ||
      armed.reply.type !== "enrolment" ||
      !armed.reply.enrolment
    )
      throw new Error("enrolment was not armed");
    await shows("enrol-armed", "08-enrol-armed");
    expect(await text(".name")).toBe("New badge: hold it to the reader now");
    site.tap(NEW_BADGE);
    await shows("enrol-captured", "08b-enrol-captured");
    expect(await text(".name")).toBe(`Badge ${NEW_BADGE} read: the office finishes it`);
    // Captured for the admin, not journalled as a tap.
    expect(
      site.daemon.records.some(
        (line) => String(line.msg).startsWith("tap ") && line.badge === NEW_BADGE,
      ),
    ).toBe(false);
    expect(site.daemon.records.some((line) => line.badge === NEW_BADGE)).toBe(true);
  });

  it("tells an employee whose shift cannot be booked now that it is stored", async () => {
    site.sim.faults.dropNext(1000, "before-commit");
    site.tap(JOERG);
    await shows("clock-in", "09-clock-in-umlauts");
    await sleep(GAP_S * 1000 + 200);
    site.tap(JOERG);
    await site.daemon.waitFor(
      (line) => line.msg === "booking failed; will retry",
      "a failed booking",
    );
    await sleep(500);
    site.tap(ANNA);
    await touch.locator('[data-screen="clock-in"]').waitFor();
    await sleep(GAP_S * 1000 + 200);
    site.tap(ANNA);
    await shows("clock-out", "10-clock-out-stored");
    expect(await text(".note-stored")).toBe("Stored: will be booked when the network is back");
  });

  it("speaks German when terminal.locale is de", async () => {
    site.reconfigure((config) => {
      (config.terminal as Record<string, unknown>).locale = "de";
      (config.display as Record<string, unknown>).holdSeconds = 2;
    });
    await site.restartDaemon();
    for (const page of [touch, hdmi]) await page.reload();
    await shows("idle", "11-idle-de");
    expect(await text(".prompt")).toBe("Bitte den Ausweis an das Lesegerät halten");
    expect(await text(".booking")).toBe("2 Schichten warten auf die Buchung");
    expect(await touch.getByRole("button", { name: "Gehen" }).isVisible()).toBe(true);
    site.tap(CLARA);
    await shows("clock-in", "12-clock-in-de");
    expect(await text(".direction")).toBe("Kommen");
    expect(await text(".greeting")).toBe("Willkommen");
    expect(await text(".name")).toBe("Clara Weiß");
    await sleep(GAP_S * 1000 + 200);
    site.tap(CLARA);
    await shows("clock-out", "13-clock-out-de");
    await site.daemon.waitFor(
      (line) => line.msg === "booking failed; will retry",
      "a failed booking",
    );
    // Clara's first shift could not be booked either (GoodTime still drops every request): back
    // at the clock once the hold ends, the screen says so.
    await touch.locator('[data-screen="idle"]').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => text(".booking"))
      .toBe("Keine Verbindung zu GoodTime: 3 gespeichert, werden später gebucht");
    await shows("idle", "14-idle-offline-de");
  });

  it("names a reader that stopped working on the idle screen", async () => {
    // socat ends: the reader's pseudo-terminal is gone, as when a USB reader is pulled.
    await site.pty.close();
    await touch.locator('[data-screen="idle"] .prompt-fault').waitFor({ timeout: 20_000 });
    await shows("idle", "15-idle-reader-fault-de");
    // The fault takes the prompt's place: nothing asks for a badge at a reader that is down.
    expect(await touch.locator('[data-screen="idle"] .prompt').allTextContents()).toEqual([
      "Das Lesegerät funktioniert nicht: bitte dem Büro sagen",
    ]);
    expect(await touch.locator('[data-screen="idle"] .state .fault').count()).toBe(0);
  });
});
