import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { html } from "../../src/console/html.js";
import { CATALOGUE, chooseLocale, Formats } from "../../src/console/i18n.js";
import { sseMessage } from "../../src/console/pages/status.js";
import { SESSION_IDLE_MS, SESSION_MAX_MS, SessionStore } from "../../src/console/sessions.js";

describe("html", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    [`"'><script>`, "&quot;&#39;&gt;&lt;script&gt;"],
    ["a & b", "a &amp; b"],
    ["`x`", "&#96;x&#96;"],
  ])("escapes %s in text and attributes", (value, escaped) => {
    expect(html`<p title="${value}">${value}</p>`.toString()).toBe(
      `<p title="${escaped}">${escaped}</p>`,
    );
  });

  it("keeps markup made by html as it is, escapes lists item by item, and drops empty values", () => {
    const inner = html`<b>${"<x>"}</b>`;
    expect(
      html`<div>${inner}${["<", html`<i></i>`]}${null}${undefined}${false}${0}</div>`.toString(),
    ).toBe("<div><b>&lt;x&gt;</b>&lt;<i></i>0</div>");
  });
});

describe("the language", () => {
  it.each([
    ["auto", "de-DE,de;q=0.9,en;q=0.8", "de"],
    ["auto", "en-US,en;q=0.9,de;q=0.8", "en"],
    ["auto", "fr-FR,fr;q=0.9,de;q=0.5,en;q=0.4", "de"],
    ["auto", "de;q=0.1,en;q=0.9", "en"],
    ["auto", "de;q=0,fr", "en"],
    ["auto", undefined, "en"],
    ["auto", "", "en"],
    ["de", "en-US", "de"],
    ["en", "de-DE", "en"],
  ] as const)("setting %s with Accept-Language %j is %s", (setting, header, locale) => {
    expect(chooseLocale(setting, header)).toBe(locale);
  });

  it("has every text in both languages, and they differ where words are", () => {
    const keys = (value: unknown, prefix = ""): string[] =>
      typeof value === "object" && value !== null
        ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`))
        : [prefix];
    expect(keys(CATALOGUE.de)).toEqual(keys(CATALOGUE.en));
    expect(CATALOGUE.de.login.title).not.toBe(CATALOGUE.en.login.title);
  });

  it("shows times in the site's zone with the offset, across a DST change", () => {
    const f = new Formats("de", "Europe/Berlin");
    expect(f.dateTime(new Date("2026-03-29T00:59:00Z"))).toBe("2026-03-29 01:59 (+01:00)");
    expect(f.dateTime(new Date("2026-03-29T01:00:00Z"))).toBe("2026-03-29 03:00 (+02:00)");
    expect(f.dateTime(new Date("2026-10-25T00:30:00Z"))).toBe("2026-10-25 02:30 (+02:00)");
    expect(f.dateTime(new Date("2026-10-25T01:30:00Z"))).toBe("2026-10-25 02:30 (+01:00)");
    expect(f.hours(90)).toBe("1,50");
    expect(new Formats("en", "Europe/Berlin").hours(90)).toBe("1.50");
  });
});

describe("the console's config", () => {
  const base = {
    server: { baseUrl: "https://getgoodtime.com/goodtime-rs", loginEmail: "a@b.example" },
    entry: { timeTypeId: "work" },
  };

  it("is off by default and serves HTTPS on 8443 when on", () => {
    expect(parseConfig(base, "c").console).toMatchObject({
      enabled: false,
      https: true,
      port: 8443,
    });
  });

  it.each(["127.0.0.1", "127.0.0.2", "::1", "localhost"])("allows plain HTTP on %s", (listen) => {
    expect(parseConfig({ ...base, console: { listen, https: false } }, "c").console.https).toBe(
      false,
    );
  });

  it.each(["0.0.0.0", "::", "192.168.1.20"])("refuses plain HTTP on %s, saying why", (listen) => {
    expect(() => parseConfig({ ...base, console: { listen, https: false } }, "c")).toThrow(
      /console\.https.*allowed only on a loopback address.*console password unencrypted/s,
    );
  });

  it("wants a key with a certificate", () => {
    expect(() => parseConfig({ ...base, console: { certFile: "/etc/c.pem" } }, "c")).toThrow(
      /console\.keyFile.*certFile and keyFile go together/s,
    );
  });

  it("refuses a listen value that is not an address", () => {
    expect(() => parseConfig({ ...base, console: { listen: "every interface" } }, "c")).toThrow(
      /console\.listen/,
    );
  });
});

describe("sessions", () => {
  it("end after the idle time, after the longest time, and when the password changes", () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const idle = store.open("127.0.0.1", "v1");
    now += SESSION_IDLE_MS - 1;
    expect(store.find(idle.id, "v1")).toBe(idle);
    now += SESSION_IDLE_MS + 1;
    expect(store.find(idle.id, "v1")).toBeUndefined();

    const busy = store.open("127.0.0.1", "v1");
    const opened = now;
    while (now - opened < SESSION_MAX_MS - 60_000) {
      now += 60_000;
      expect(store.find(busy.id, "v1")).toBe(busy);
    }
    now += 120_000;
    expect(store.find(busy.id, "v1")).toBeUndefined();

    const other = store.open("127.0.0.1", "v1");
    expect(store.find(other.id, "v2")).toBeUndefined();
    expect(store.find(other.id, "v1")).toBeUndefined();
    expect(store.find(undefined, "v1")).toBeUndefined();
  });
});

describe("server-sent events", () => {
  it("give every line of the data its own data field", () => {
    expect(sseMessage("status", "<p>a</p>\n<p>b</p>")).toBe(
      "event: status\ndata: <p>a</p>\ndata: <p>b</p>\n\n",
    );
  });
});
