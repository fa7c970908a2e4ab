import { describe, expect, it } from "vitest";
import { listBadges, READ_ONLY_LINK, setConsolePassword } from "../../src/admin/index.js";
import { LOGIN_ATTEMPTS_PER_MINUTE } from "../../src/console/pages/login.js";
import { consoleUnderTest } from "./harness.js";

/** A value for each route parameter, so that every route can be asked for. */
function concrete(url: string): string {
  return url.replace(":armId", "00000000-0000-0000-0000-000000000000").replace(":id", "0F00A1B2C3");
}

describe("the console without a session", () => {
  it("refuses every route but the login page and static files", async () => {
    const site = await consoleUnderTest();
    const routes = site.app.consoleRoutes;
    const guarded = routes.filter((route) => !route.public);
    expect(guarded.length).toBeGreaterThan(20);
    expect(
      routes
        .filter((route) => route.public)
        .map((route) => `${route.method} ${route.url}`)
        .sort(),
    ).toEqual([
      "GET /favicon.ico",
      "GET /login",
      "GET /static/console.css",
      "GET /static/console.js",
      "POST /login",
    ]);
    for (const route of guarded) {
      const answer = await site.request(
        route.method,
        concrete(route.url),
        route.method === "GET" ? undefined : {},
        route.url === "/events" ? { headers: { accept: "text/event-stream" } } : {},
      );
      const what = `${route.method} ${route.url}`;
      if (route.method === "GET" && route.url !== "/events") {
        expect(answer.status, what).toBe(303);
        expect(answer.location, what).toMatch(/^\/login\?next=/);
      } else {
        expect(answer.status, what).toBe(401);
      }
      expect(answer.body, what).not.toContain("<table");
    }
    // An unknown path is not told apart from a known one before login.
    expect((await site.request("GET", "/no/such/page")).status).toBe(303);
    expect(
      (
        await site.request("GET", "/events", undefined, {
          headers: { accept: "text/event-stream" },
        })
      ).status,
    ).toBe(401);
  });

  it("sends the session back to where the admin wanted to go, and never to another site", async () => {
    const site = await consoleUnderTest();
    const form = await site.request("GET", "/login?next=%2Fqueue%3Fstate%3Drefused");
    const done = await site.request("POST", "/login", {
      password: "a long console password",
      _csrf: site.csrf(form.body),
      next: "/queue?state=refused",
    });
    expect(done.location).toBe("/queue?state=refused");
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      site.jar.clear();
      const again = await site.request("GET", "/login");
      const answer = await site.request("POST", "/login", {
        password: "a long console password",
        _csrf: site.csrf(again.body),
        next,
      });
      expect(answer.location, next).toBe("/");
    }
  });
});

describe("logging in", () => {
  it("sets a session cookie that is Secure, HttpOnly, SameSite=Strict and host-only", async () => {
    const site = await consoleUnderTest();
    const answer = await site.login();
    expect(answer.status).toBe(303);
    const cookies = answer.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith("__Host-timeclock-session="));
    expect(session).toBeDefined();
    const flags = (session ?? "").split(";").map((part) => part.trim().toLowerCase());
    expect(flags).toEqual(
      expect.arrayContaining(["secure", "httponly", "samesite=strict", "path=/"]),
    );
    expect(flags.some((flag) => flag.startsWith("domain="))).toBe(false);
    const first = await fetch(`${site.base}/login`);
    const csrf = first.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith("__Host-timeclock-csrf="));
    expect(
      csrf
        ?.toLowerCase()
        .split(";")
        .map((flag) => flag.trim()),
    ).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=strict", "path=/"]));
    const home = await site.request("GET", "/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("test-door");
  });

  it("throttles the tenth wrong password in a minute, and logs nobody in meanwhile", async () => {
    const site = await consoleUnderTest();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE + 1; i++) {
      statuses.push((await site.login("not the password")).status);
    }
    expect(statuses).toEqual([...Array(9).fill(401), 429]);
    const throttled = await site.login();
    expect(throttled.status).toBe(429);
    expect(throttled.body).toContain("Too many attempts");
    expect(site.jar.has("__Host-timeclock-session")).toBe(false);
  });

  it("says so when no password is set", async () => {
    const site = await consoleUnderTest({ setPassword: false });
    const answer = await site.login("anything at all");
    expect(answer.status).toBe(409);
    expect(answer.body).toContain("timeclock console password");
  });

  it("ends the session on logout and when the password changes", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const page = await site.request("GET", "/badges");
    const bye = await site.request("POST", "/logout", { _csrf: site.csrf(page.body) });
    expect(bye.location).toBe("/login?bye");
    expect((await site.request("GET", "/badges")).status).toBe(303);

    await site.login();
    expect((await site.request("GET", "/badges")).status).toBe(200);
    await setConsolePassword(
      {
        db: site.db,
        clock: site.clock,
        config: site.config,
        daemon: READ_ONLY_LINK,
        actor: "cli:test",
      },
      "another long password",
    );
    expect((await site.request("GET", "/badges")).status).toBe(303);
  });
});

describe("changes", () => {
  it("refuses a POST without the form token, and one with another session's token", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const fields = { badge: "0F00A1B2C3", email: "anna.schmidt@gtsandbox.en" };
    const none = await site.request("POST", "/badges", fields);
    expect(none.status).toBe(403);
    expect(none.body).toContain("form was too old");
    const forged = await site.request("POST", "/badges", { ...fields, _csrf: "x".repeat(40) });
    expect(forged.status).toBe(403);
    const admin = {
      db: site.db,
      clock: site.clock,
      config: site.config,
      daemon: READ_ONLY_LINK,
      actor: "test",
    };
    expect(listBadges(admin)).toEqual([]);
    const page = await site.request("GET", "/badges/new");
    const saved = await site.request("POST", "/badges", { ...fields, _csrf: site.csrf(page.body) });
    expect(saved.status).toBe(303);
    expect(listBadges(admin).map((badge) => badge.email)).toEqual(["anna.schmidt@gtsandbox.en"]);
  });

  it("sends a strict Content-Security-Policy without inline script or style", async () => {
    const site = await consoleUnderTest();
    const answer = await site.request("GET", "/login");
    const csp = answer.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(answer.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(answer.body).not.toMatch(/\sstyle=/);
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("escapes what a badge reader or an admin put in, wherever it is shown", async () => {
    const site = await consoleUnderTest();
    await site.login();
    const evil = "<img src=x onerror=alert(1)>";
    const page = await site.request("GET", "/badges/new");
    await site.request("POST", "/badges", {
      badge: "0F00A1B2C3",
      email: "anna.schmidt@gtsandbox.en",
      name: evil,
      _csrf: site.csrf(page.body),
    });
    for (const path of ["/badges", "/badges/0F00A1B2C3", `/badges?q=${encodeURIComponent(evil)}`]) {
      const shown = await site.request("GET", path);
      expect(shown.body, path).not.toContain("<img");
      expect(shown.body, path).toContain("&lt;img src=x onerror=alert(1)&gt;");
    }
  });
});
