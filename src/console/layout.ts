import { html, type SafeHtml } from "./html.js";
import type { Messages } from "./messages-en.js";
import type { Flash } from "./sessions.js";

export type NavKey = keyof Omit<Messages["nav"], "label">;

const NAV: readonly { key: NavKey; href: string }[] = [
  { key: "status", href: "/" },
  { key: "badges", href: "/badges" },
  { key: "enrol", href: "/enrol" },
  { key: "queue", href: "/queue" },
  { key: "reports", href: "/reports" },
  { key: "taps", href: "/taps" },
  { key: "audit", href: "/audit" },
  { key: "backup", href: "/backup" },
];

/** Pieces of a page every view needs: texts, the terminal's name, and the session's form token. */
export interface PageFrame {
  t: Messages;
  terminalName: string;
  zone: string;
  /** null on pages without a session (login). */
  csrfToken: string | null;
  /** The token of pages without a session: the login form's. */
  anonymousToken?: string;
  flash?: Flash | undefined;
}

export function csrfField(token: string | null): SafeHtml {
  return token === null ? html`` : html`<input type="hidden" name="_csrf" value="${token}">`;
}

function flashBox(flash: Flash | undefined): SafeHtml {
  if (!flash) return html``;
  return flash.kind === "ok"
    ? html`<p class="flash flash-ok" role="status">${flash.text}</p>`
    : html`<p class="flash flash-error" role="alert">${flash.text}</p>`;
}

/** A whole page: skip link, navigation (when logged in), one h1, the content, the footer. */
export function page(
  frame: PageFrame,
  view: { title: string; active?: NavKey; body: SafeHtml; heading?: string },
): SafeHtml {
  const { t } = frame;
  const loggedIn = frame.csrfToken !== null;
  const nav = loggedIn
    ? html`<nav aria-label="${t.nav.label}"><ul>${NAV.map(
        (item) =>
          html`<li><a href="${item.href}"${item.key === view.active ? html` aria-current="page"` : ""}>${t.nav[item.key]}</a></li>`,
      )}</ul></nav>
      <form method="post" action="/logout" class="logout">${csrfField(frame.csrfToken)}<button type="submit" class="secondary">${t.logout}</button></form>`
    : html``;
  return html`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${view.title} · ${t.brand(frame.terminalName)}</title>
<link rel="stylesheet" href="/static/console.css">
<script type="module" src="/static/console.js"></script>
</head>
<body>
<a class="skip" href="#main">${t.skipToContent}</a>
<header class="top"><p class="brand">${t.brand(frame.terminalName)}</p>${nav}</header>
<main id="main" tabindex="-1">
<h1>${view.heading ?? view.title}</h1>
${flashBox(frame.flash)}
${view.body}
</main>
<footer><p>${t.footer(frame.zone)}</p></footer>
</body>
</html>`;
}
