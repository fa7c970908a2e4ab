/**
 * Finds a secret in text in the spellings a server, proxy or log may give it, without using the
 * production scrubber's list: plain, JSON-escaped once or twice (with or without \uXXXX and \/),
 * percent-encoded (either case, "+" or %20 for spaces), HTML-escaped, and inside any base64 or
 * base64url run, decoded at every alignment.
 */
export function leaksOf(text: string, secret: string): string[] {
  const found: string[] = [];
  const plainForms = textForms(secret);
  for (const form of plainForms) {
    if (text.includes(form)) found.push(`plain ${JSON.stringify(form)}`);
  }
  const decodedUrl = safeDecode(text.replaceAll("+", " "));
  if (decodedUrl !== undefined && decodedUrl !== text) {
    for (const form of plainForms) {
      if (decodedUrl.includes(form)) found.push(`percent-encoded ${JSON.stringify(form)}`);
    }
  }
  for (const run of text.match(/[A-Za-z0-9+/_-]{6,}/g) ?? []) {
    for (let skip = 0; skip < 4; skip++) {
      const part = run.slice(skip);
      for (const alphabet of ["base64", "base64url"] as const) {
        const decoded = Buffer.from(part, alphabet).toString("utf8");
        for (const form of plainForms) {
          if (decoded.includes(form))
            found.push(`${alphabet} ${JSON.stringify(run.slice(0, 24))}…`);
        }
      }
    }
  }
  return [...new Set(found)];
}

/** The secret and its JSON and HTML escapings, each a text to look for after any decoding. */
function textForms(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  const twice = JSON.stringify(once).slice(1, -1);
  const asciiEscaped = (text: string) =>
    text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const forms = [secret, once, twice, asciiEscaped(once), asciiEscaped(twice)];
  const withSlashes = forms.map((form) => form.replaceAll("/", "\\/"));
  const html = secret
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
  return [...new Set([...forms, ...withSlashes, html])];
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    // Stray "%" in ordinary text: decode what can be decoded, piece by piece.
    return text.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
