/**
 * Secrets (the API password, login tokens) in every spelling a server, a proxy or a library may
 * echo them in, and a scrubber that replaces each spelling with a marker. A server that quotes a
 * request back quotes its body, where the password is JSON-escaped; a firewall may add it
 * form-encoded or base64-encoded in a longer dump; a log line JSON-escapes it once more.
 */

export const REDACTED = "[redacted]";

/** Tokens kept besides the password: a token a server echoes late is still hidden. */
const MAX_TOKENS = 8;
/**
 * Base64 characters that depend on the secret alone, at a given alignment in a longer string.
 * Shorter runs would match unrelated text often enough to blank out ordinary log words.
 */
const MIN_BASE64_RUN = 6;
/** Any JSON web token: its header is base64 of '{"', so every one starts with eyJ. */
const JWT_SHAPE = "eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}(?:\\.[A-Za-z0-9_-]*)?";

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].filter((value) => value !== "");
}

function hex4(char: string, upper: boolean): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).padStart(4, "0");
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

/** JSON string escapes: plain, with non-ASCII as \uXXXX (either case), and with "/" as "\/". */
function jsonEscapings(text: string): string[] {
  const plain = JSON.stringify(text).slice(1, -1);
  // Per UTF-16 unit, as Jackson and others escape: a surrogate pair becomes two escapes.
  const ascii = (upper: boolean) => plain.replace(/[\u007f-\uffff]/g, (c) => hex4(c, upper));
  const forms = [plain, ascii(false), ascii(true)];
  return unique([...forms, ...forms.map((form) => form.replaceAll("/", "\\/"))]);
}

/** Percent-encodings: RFC 3986 component, strict (also !'()*), and HTML forms' "+" for spaces. */
function urlEncodings(text: string): string[] {
  const component = encodeURIComponent(text);
  const strict = component.replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const form = new URLSearchParams({ x: text }).toString().slice(2);
  const forms = [component, strict, component.replaceAll("%20", "+"), form];
  const lower = (value: string) => value.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
  return unique([...forms, ...forms.map(lower)]);
}

function htmlEscaping(text: string): string[] {
  const named = text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
  return unique([named.replaceAll("'", "&#39;"), named.replaceAll("'", "&#x27;")]);
}

/**
 * The base64 (and base64url) characters that encode `text` and nothing else, for each of the three
 * byte alignments it can have inside a longer encoded string (a Basic header, a request dump).
 */
export function base64Runs(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  const runs: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const run = encoded.slice(first, end);
    if (run.length < MIN_BASE64_RUN) continue;
    runs.push(run, run.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return unique(runs);
}

/** Every spelling of `secret` this module knows, longest first. */
export function secretSpellings(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  // A request body (where the password is JSON-escaped) quoted inside a JSON error: twice.
  const twice = JSON.stringify(once).slice(1, -1);
  // What a firewall or proxy may encode further: the secret itself, or the body that holds it.
  const texts = unique([secret, once, twice]);
  const spellings = unique([
    ...texts,
    ...jsonEscapings(secret),
    ...jsonEscapings(once),
    ...texts.flatMap(urlEncodings),
    ...texts.flatMap(htmlEscaping),
    ...texts.flatMap(base64Runs),
  ]);
  return spellings.sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Replaces every known spelling of the secrets it was given, and anything shaped like a JSON web
 * token, with REDACTED. One instance is shared by the client (which adds each token it receives)
 * and the daemon's logger (which scrubs every line it writes).
 */
export class SecretScrubber {
  #password: string | undefined;
  #tokens: string[] = [];
  #pattern = new RegExp(JWT_SHAPE, "g");

  constructor(password?: string) {
    if (password) this.setPassword(password);
  }

  setPassword(password: string): void {
    if (password === "" || password === this.#password) return;
    this.#password = password;
    this.#compile();
  }

  addToken(token: string): void {
    if (token === "" || this.#tokens.includes(token)) return;
    this.#tokens = [token, ...this.#tokens].slice(0, MAX_TOKENS);
    this.#compile();
  }

  scrub(text: string): string {
    this.#pattern.lastIndex = 0;
    return text.replace(this.#pattern, REDACTED);
  }

  #compile(): void {
    const secrets = unique([this.#password ?? "", ...this.#tokens]);
    const spellings = unique(secrets.flatMap(secretSpellings)).sort((a, b) => b.length - a.length);
    const alternatives = [...spellings.map(escapeRegExp), JWT_SHAPE];
    this.#pattern = new RegExp(alternatives.join("|"), "g");
  }
}
