import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/core/logger.js";
import { base64Runs, REDACTED, SecretScrubber } from "../../src/core/secrets.js";
import { leaksOf } from "../helpers/leaks.js";

const PASSWORDS = [
  "12345678",
  'pa"ss',
  "back\\slash",
  "100%sure",
  "with spaces and+plus",
  "tür-€-😀",
  'Zq"8\\ tür%41 €/+x&<y>',
];
const TOKEN =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6MTcwMDAwMzYwMH0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
const OPAQUE_TOKEN = "opaque/Token+1==";

/** Every way a server or a proxy was seen to quote what it received. */
function echoes(secret: string): [string, string][] {
  const body = JSON.stringify({ loginemail: "admin@gtsandbox.en", apipassword: secret });
  const dump = `POST /goodtime-rs/api/login HTTP/1.1\r\nContent-Type: application/json\r\n\r\n${body}`;
  const header = (prefix: string) => Buffer.from(`${prefix}${secret}`).toString("base64");
  return [
    ["raw", `login refused for ${secret} today`],
    ["the body in a JSON error", JSON.stringify({ error: `bad request: ${body}` })],
    [
      "the body in a JSON error, escaped to ASCII",
      JSON.stringify({ error: body }).replace(
        /[\u007f-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      ),
    ],
    ["a JSON error quoting the secret", JSON.stringify({ error: secret })],
    ["a form-encoded dump", new URLSearchParams({ request: dump }).toString()],
    ["a percent-encoded query", `GET /x?apipassword=${encodeURIComponent(secret)}&a=1`],
    [
      "lower-case percent-encoding",
      encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    ],
    ["base64 of the dump", `request=${Buffer.from(dump).toString("base64")}`],
    ["base64url of the dump", `request=${Buffer.from(`x${dump}`).toString("base64url")}`],
    ["a Basic header (offset 0)", `Authorization: Basic ${header("")}`],
    ["a Basic header (offset 1)", `Authorization: Basic ${header("a:")}`],
    ["a Basic header (offset 2)", `Authorization: Basic ${header("ab:")}`],
    [
      "an HTML page",
      `<p>you typed &quot;${secret.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")}&quot;</p>`,
    ],
  ];
}

describe("SecretScrubber", () => {
  describe.each(PASSWORDS)("password %j", (password) => {
    const scrubber = new SecretScrubber(password);
    it.each(echoes(password))("hides it in %s", (_how, text) => {
      expect(leaksOf(text, password)).not.toEqual([]);
      const clean = scrubber.scrub(text);
      expect(leaksOf(clean, password)).toEqual([]);
      expect(clean).toContain(REDACTED);
    });
  });

  it.each([TOKEN, OPAQUE_TOKEN])("hides a token it was given, in every spelling: %s", (token) => {
    const scrubber = new SecretScrubber("unrelated-password");
    scrubber.addToken(token);
    for (const [how, text] of echoes(token)) {
      expect(leaksOf(scrubber.scrub(text), token), how).toEqual([]);
    }
  });

  it("hides anything shaped like a JSON web token, even one it was not given", () => {
    const clean = new SecretScrubber().scrub(`Authorization: Bearer ${TOKEN} sent`);
    expect(clean).toBe(`Authorization: Bearer ${REDACTED} sent`);
  });

  it("keeps the last tokens it was given, and the password", () => {
    const scrubber = new SecretScrubber("pw-xyz-123");
    const tokens = Array.from({ length: 10 }, (_, i) => `opaque-token-number-${i}`);
    for (const token of tokens) scrubber.addToken(token);
    const line = tokens.join(" ");
    const clean = scrubber.scrub(`${line} pw-xyz-123`);
    expect(clean).toContain("opaque-token-number-0");
    expect(clean).toContain("opaque-token-number-1");
    expect(clean).not.toContain("opaque-token-number-2");
    expect(clean).not.toContain("opaque-token-number-9");
    expect(clean).not.toContain("pw-xyz-123");
  });

  it("leaves ordinary log text alone", () => {
    const scrubber = new SecretScrubber("12345678");
    scrubber.addToken(TOKEN);
    const line =
      '{"level":"info","part":"sync","entryId":"3f1c","user":"anna@example.com","msg":"entry booked"}';
    expect(scrubber.scrub(line)).toBe(line);
  });

  it("base64 runs depend on the secret alone at each of the three alignments", () => {
    const secret = "Zq8-tür";
    const runs = base64Runs(secret);
    for (const prefix of ["", "a", "ab", "abc", "user:"]) {
      for (const suffix of ["", "x", "yz!"]) {
        const encoded = Buffer.from(`${prefix}${secret}${suffix}`).toString("base64");
        expect(
          runs.some((run) => encoded.includes(run)),
          `${prefix}|${suffix}`,
        ).toBe(true);
      }
    }
  });
});

describe("the logger's scrubbing hook", () => {
  it("hides the password and tokens in messages, fields, errors and nested objects", () => {
    const password = 'Zq"8\\ tür%41 €/+x';
    const scrubber = new SecretScrubber(password);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const child = createLogger(
      { level: "trace", redactBadges: false, secrets: scrubber },
      sink,
    ).child({ part: "sync" });
    scrubber.addToken("opaque-token-for-the-log");
    child.warn({ reason: `server said ${password}` }, `login with ${password} failed`);
    child.error({ err: new Error(`echo: ${JSON.stringify({ apipassword: password })}`) }, "boom");
    child.info({ nested: { deeper: [encodeURIComponent(password)] } }, "nested");
    child.info({ header: `Bearer opaque-token-for-the-log` }, "token");
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(leaksOf(line, password)).toEqual([]);
      expect(line).not.toContain("opaque-token-for-the-log");
      expect(line).toContain(REDACTED);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});
