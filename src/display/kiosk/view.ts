import { html, type SafeHtml } from "../../console/html.js";
import type { KeyName } from "../../gpio/config-schema.js";
import type { Screen } from "../screen.js";
import type { DoorWords } from "../words.js";

/**
 * The kiosk page: the door's screen as HTML for a 7" touchscreen (800x480) up to a large HDMI
 * screen, readable from two metres, with the touch buttons and the forgotten-badge dialog. Markup is built
 * with the console's escaping template only; the page carries no inline script or style.
 */

export interface KioskOptions {
  buttons: boolean;
  /** The forgotten-badge button and dialog (display.kiosk.pin.enabled). */
  pin: boolean;
  terminalName: string;
}

function hoursRows(words: DoorWords, rows: [string, number | null][]): SafeHtml {
  return html`<dl class="hours">${rows
    .filter((row): row is [string, number] => row[1] !== null)
    .map(
      ([label, minutes]) => html`<div><dt>${label}</dt><dd>${words.hours(minutes)}</dd></div>`,
    )}</dl>`;
}

function note(kind: string, text: string): SafeHtml {
  return html`<p class="note note-${kind}">${text}</p>`;
}

/** One screen, as the fragment the page swaps in when the terminal reports news. */
export function screenFragment(screen: Screen, words: DoorWords, now: Date): SafeHtml {
  const t = words.t;
  const section = (kind: string, body: SafeHtml, tone = kind) =>
    html`<section class="screen tone-${tone}" data-screen="${kind}">${body}</section>`;
  switch (screen.kind) {
    case "idle": {
      const { booking, faults } = screen.idle;
      const bookingTone = booking.state === "booked" ? "ok" : booking.state;
      // With the reader down, its fault takes the prompt's place: no "hold your badge" above it.
      const readerDown = faults.includes("reader");
      const others = faults.filter((fault) => fault !== "reader");
      const prompt = readerDown
        ? html`<p class="prompt prompt-fault" role="alert">${words.fault("reader", false)}</p>`
        : html`<p class="prompt">${t.idle.prompt}</p>`;
      return section(
        "idle",
        html`<p class="clock"><time data-clock>${words.time(now)}</time></p>
<p class="date" data-date>${words.dateLong(now)}</p>
${prompt}
<ul class="state">${others.map((fault) => html`<li class="fault">${words.fault(fault, false)}</li>`)}<li class="booking booking-${bookingTone}">${words.booking(booking, false)}</li></ul>`,
      );
    }
    case "clock-in":
      return section(
        "clock-in",
        html`<p class="banner"><span class="direction">${t.clockIn}</span> <time>${words.time(screen.at)}</time></p>
<p class="greeting">${t.welcome}</p>
<h1 class="name">${screen.name}</h1>
${hoursRows(words, [
  [t.today, screen.todayMinutes],
  [t.week, screen.weekMinutes],
])}
${screen.toReview ? note("review", t.toReview) : ""}`,
      );
    case "clock-out":
      return section(
        "clock-out",
        html`<p class="banner"><span class="direction">${t.clockOut}</span> <time>${words.time(screen.at)}</time></p>
<p class="greeting">${screen.breakStarted ? t.breakStarted : t.goodbye}</p>
<h1 class="name">${screen.name}</h1>
${hoursRows(words, [
  [t.shift, screen.shiftMinutes],
  [t.today, screen.todayMinutes],
  [t.week, screen.weekMinutes],
])}
${screen.toReview ? note("review", t.toReview) : ""}
${screen.stored === "network" ? note("stored", t.stored) : ""}
${screen.stored === "clock" ? note("stored", t.heldClock) : ""}`,
      );
    case "too-soon":
      return section(
        "too-soon",
        html`<p class="banner"><span class="direction">${t.tooSoon}</span> <time>${words.time(screen.at)}</time></p>
<h1 class="name">${screen.name}</h1>
<p class="detail">${t.tooSoonDetail(screen.minGapSeconds)}</p>`,
      );
    case "no-open-shift":
      return section(
        "no-open-shift",
        html`<p class="banner"><span class="direction">${t.noOpenShift}</span></p>
<h1 class="name">${screen.name}</h1>
<p class="detail">${t.noOpenShiftDetail}</p>`,
      );
    case "unknown-badge":
      return section(
        "unknown-badge",
        html`<p class="banner"><span class="direction">${screen.ambiguous ? t.ambiguousBadge : t.unknownBadge}</span></p>
<h1 class="name">${t.seeOffice}</h1>
<p class="detail">${t.unknownBadgeDetail(screen.badge)}</p>`,
      );
    case "key":
      return section(
        "key",
        html`<p class="label">${t.keys.label}</p>
<p class="key key-${screen.key}">${words.key(screen.key)}</p>
<p class="prompt">${t.keys.prompt}</p>
<p class="countdown" data-until="${screen.until}"></p>`,
        `key-${screen.key}`,
      );
    case "enrol-armed":
      return section(
        "enrol-armed",
        html`<h1 class="name">${t.enrol.armed}</h1>
<p class="countdown" data-until="${screen.until}"></p>`,
        "enrol",
      );
    case "enrol-captured":
      return section(
        "enrol-captured",
        html`<h1 class="name">${t.enrol.captured(screen.badge)}</h1>`,
        "enrol",
      );
  }
}

const KEYS: readonly KeyName[] = ["in", "out", "break"];

function buttonBar(words: DoorWords, options: KioskOptions): SafeHtml {
  if (!options.buttons && !options.pin) return html``;
  return html`<nav class="buttons" aria-label="${words.t.keys.label}">
${options.buttons ? KEYS.map((key) => html`<button type="button" class="key-button key-${key}" data-key="${key}">${words.key(key)}</button>`) : ""}
${options.pin ? html`<button type="button" class="pin-button" data-pin-open>${words.t.pin.open}</button>` : ""}
</nav>`;
}

/**
 * The forgotten-badge dialog: the names (paged, searchable), then the keypad. The script fills in
 * the names and sends the PIN; the texts it needs travel as data attributes.
 */
function pinDialog(words: DoorWords): SafeHtml {
  const t = words.t.pin;
  const digits = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
  return html`<dialog class="pin" data-pin-dialog aria-labelledby="pin-title" data-failed="${t.failed}">
<h2 id="pin-title" data-pin-title data-choose="${t.choose}">${t.choose}</h2>
<div class="picker" data-pin-picker>
<p class="search"><label for="pin-search" class="visually-hidden">${t.search}</label><input id="pin-search" type="search" data-pin-search placeholder="${t.search}" autocomplete="off"></p>
<p class="pin-none" data-pin-none hidden>${t.none}</p>
<p class="pin-none" data-pin-nomatch hidden>${t.noMatch}</p>
<ul class="people" data-pin-people></ul>
<p class="pager" data-pin-pager hidden><button type="button" data-pin-prev>${t.previous}</button><span data-pin-page></span><button type="button" data-pin-next>${t.next}</button></p>
</div>
<div class="pad" data-pin-pad hidden>
<p class="pin-dots" data-pin-dots aria-live="polite"></p>
<div class="digits">${digits.map((digit) => html`<button type="button" data-digit="${digit}" aria-label="${t.digit(digit)}">${digit}</button>`)}<button type="button" data-erase aria-label="${t.erase}">⌫</button><button type="button" data-digit="0" aria-label="${t.digit("0")}">0</button><button type="button" class="confirm" data-confirm>${t.confirm}</button></div>
<p><button type="button" class="secondary" data-pin-back>${t.back}</button></p>
</div>
<p class="pin-message" data-pin-message role="alert"></p>
<p><button type="button" class="cancel" data-pin-cancel>${t.cancel}</button></p>
</dialog>`;
}

/** The whole page, with the screen due now. */
export function kioskPage(
  screen: Screen,
  words: DoorWords,
  now: Date,
  options: KioskOptions,
): SafeHtml {
  return html`<!doctype html>
<html lang="${words.t.lang}" data-zone="${words.zone}" data-locale="${words.t.intlLocale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.terminalName}</title>
<link rel="stylesheet" href="/static/kiosk.css">
<script type="module" src="/static/kiosk.js"></script>
</head>
<body>
<main class="door" data-door aria-live="polite">${screenFragment(screen, words, now)}</main>
${buttonBar(words, options)}
${options.pin ? pinDialog(words) : ""}
</body>
</html>`;
}
