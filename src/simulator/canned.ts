import type { IncomingHttpHeaders } from "node:http";
import type { Reply } from "./reply.js";

/**
 * Answers a real GoodTime would not give but a real network does: a captive portal's login page,
 * a proxy's redirect, a body that is not JSON, a server that quotes the request back in its error,
 * an answer far larger than any list. The fault injector picks one; this module writes it.
 */

/** How an echo carries the request: inside a JSON error, as plain text, form-encoded or base64. */
export const ECHO_ENCODINGS = ["json", "text", "url", "base64", "base64url"] as const;
export type EchoEncoding = (typeof ECHO_ENCODINGS)[number];

export const CANNED_KINDS = ["html", "garbage", "echo", "huge", "redirect"] as const;
export type CannedKind = (typeof CANNED_KINDS)[number];

/**
 * - html: a captive portal's login page (default status 200);
 * - garbage: text that is neither JSON nor a token (default 200);
 * - echo: the whole request, headers and body, quoted back (default 500);
 * - huge: a JSON document of `bytes` bytes (default 200, 10 MiB);
 * - redirect: a 3xx to `location` (default 302 to a portal's address).
 */
export interface CannedAnswer {
  kind: CannedKind;
  status?: number;
  encoding?: EchoEncoding;
  bytes?: number;
  location?: string;
}

export interface EchoedRequest {
  method: string;
  /** The request target as received, query included. */
  target: string;
  /** Header names and values in the order received (Node's rawHeaders). */
  rawHeaders: readonly string[];
  headers: IncomingHttpHeaders;
  body: string;
}

const DEFAULT_STATUS: Record<CannedKind, number> = {
  html: 200,
  garbage: 200,
  echo: 500,
  huge: 200,
  redirect: 302,
};
const DEFAULT_HUGE_BYTES = 10 * 1024 * 1024;
/** Big enough to hurt a client that buffers everything, small enough for a test machine. */
const MAX_HUGE_BYTES = 256 * 1024 * 1024;
const PORTAL = "http://portal.invalid/login";

const PORTAL_PAGE = `<!DOCTYPE html>
<html><head><title>Guest Wi-Fi</title></head>
<body><h1>Welcome to Guest Wi-Fi</h1><form method="post" action="${PORTAL}">
<label>Room number <input name="room"></label><button>Accept the terms and connect</button>
</form></body></html>
`;

const GARBAGE = "\u0000\u00ff OK \u{1F600} this is not json {[";

/** Throws an Error saying what is wrong with the answer, so bad test setups fail at once. */
export function checkCannedAnswer(answer: CannedAnswer): void {
  if (!CANNED_KINDS.includes(answer.kind)) {
    throw new Error(
      `answer kind ${JSON.stringify(answer.kind)} must be one of ${CANNED_KINDS.join(", ")}`,
    );
  }
  const status = answer.status ?? DEFAULT_STATUS[answer.kind];
  const [min, max] = answer.kind === "redirect" ? [300, 399] : [200, 599];
  if (!Number.isInteger(status) || status < min || status > max) {
    throw new Error(`a ${answer.kind} answer's status ${status} must be from ${min} to ${max}`);
  }
  if (answer.encoding !== undefined && !ECHO_ENCODINGS.includes(answer.encoding)) {
    throw new Error(
      `echo encoding ${JSON.stringify(answer.encoding)} must be one of ${ECHO_ENCODINGS.join(", ")}`,
    );
  }
  const bytes = answer.bytes ?? DEFAULT_HUGE_BYTES;
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_HUGE_BYTES) {
    throw new Error(
      `huge answer bytes ${bytes} must be a whole number from 1 to ${MAX_HUGE_BYTES}`,
    );
  }
}

/**
 * The request as a firewall's log shows it: the body first (what it objected to), then the
 * request line and the headers as received.
 */
function requestDump(request: EchoedRequest): string {
  const lines = [`${request.method} ${request.target} HTTP/1.1`];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  }
  return `${request.body}\r\n\r\n${lines.join("\r\n")}`;
}

function echoReply(status: number, encoding: EchoEncoding, request: EchoedRequest): Reply {
  const dump = requestDump(request);
  const prefix = "the request was refused by the web application firewall; it read";
  switch (encoding) {
    case "text":
      return { status, headers: { "Content-Type": "text/plain" }, body: `${prefix}: ${dump}` };
    case "url":
      return {
        status,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ error: prefix, request: dump }).toString(),
      };
    case "base64":
    case "base64url":
      return {
        status,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          error: `${prefix} (${encoding}): ${Buffer.from(`request=${dump}`).toString(encoding)}`,
        }),
      };
    default:
      return {
        status,
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ error: `${prefix}: ${dump}`, headers: request.headers }),
      };
  }
}

/** A JSON document of exactly `bytes` bytes (at least `{"x":""}` long). */
function hugeJson(bytes: number): string {
  const shell = '{"padding":""}';
  return `{"padding":"${"x".repeat(Math.max(0, bytes - shell.length))}"}`;
}

export function cannedReply(answer: CannedAnswer, request: EchoedRequest): Reply {
  const status = answer.status ?? DEFAULT_STATUS[answer.kind];
  switch (answer.kind) {
    case "html":
      return { status, headers: { "Content-Type": "text/html; charset=utf-8" }, body: PORTAL_PAGE };
    case "garbage":
      return { status, headers: { "Content-Type": "application/json" }, body: GARBAGE };
    case "echo":
      return echoReply(status, answer.encoding ?? "json", request);
    case "huge":
      return {
        status,
        headers: { "Content-Type": "application/json" },
        body: hugeJson(answer.bytes ?? DEFAULT_HUGE_BYTES),
      };
    case "redirect": {
      const location =
        answer.location ?? `${PORTAL}?continue=${encodeURIComponent(request.target)}`;
      return {
        status,
        headers: { "Content-Type": "text/html; charset=utf-8", Location: location },
        body: `<html><body>Moved: <a href="${location}">continue</a></body></html>`,
      };
    }
  }
}
