import { html, type SafeHtml } from "../../console/html.js";
import type { KeyName } from "../../gpio/config-schema.js";
import type { Screen } from "../screen.js";
import type { DoorWords } from "../words.js";

/**
 * The kiosk page: the door's screen as HTML for a 7" touchscreen (800x480) up to a large HDMI
 * screen, readable from two metres, with the touch buttons. Markup is built
 * with the console's escaping template only; the page carries no inline script or style.
 */

export interface KioskOptions {
  buttons: boolean;
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
      return section(
        "idle",
        html`<p class="clock"><time data-clock>${words.time(now)}</time></p>
<p class="date" data-date>${words.dateLong(now)}</p>
<p class="prompt">${t.idle.prompt}</p>
<ul class="state">${faults.map((fault) => html`<li class="fault">${words.fault(fault, false)}</li>`)}<li class="booking booking-${bookingTone}">${words.booking(booking, false)}</li></ul>`,
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
  if (!options.buttons) return html``;
  return html`<nav class="buttons" aria-label="${words.t.keys.label}">
${KEYS.map((key) => html`<button type="button" class="key-button key-${key}" data-key="${key}">${words.key(key)}</button>`)}
</nav>`;
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
</body>
</html>`;
}
