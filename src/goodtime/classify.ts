import { createRequire } from "node:module";
import { GoodTimeError } from "./errors.js";

/**
 * Turns HTTP answers and transport failures into GoodTimeErrors. Pure: the client gathers the
 * facts (status, body, whether the request body had left the machine) and these functions decide.
 */

const RETRYABLE_STATUSES = new Set([408, 425, 429]);
const REFUSED_STATUSES = new Set([400, 409, 422]);
const TLS_CODE = /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|ERR_SSL_)/;
const MAX_REASON_LENGTH = 300;

export interface HttpAnswer {
  status: number;
  body: string;
  contentType?: string | undefined;
  retryAfter?: string | undefined;
  location?: string | undefined;
}

/**
 * What a request was: the login, a read (nothing changes on the server, repeating it is
 * harmless) or a write (createtimeentry, deletetimeentry: its outcome matters and may be unknown).
 */
export type CallKind = "login" | "read" | "write";

export interface StatusContext {
  endpoint: string;
  call: CallKind;
  /**
   * Whether the request names a user or an entry (createtimeentry, deletetimeentry, timeentries,
   * projects/{email}): only then can a 404 be the service saying that this one does not exist.
   */
  namesSubject: boolean;
  loginEmail: string;
  now: Date;
}

/** Retry-After as delay seconds or an HTTP-date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date names its weekday and month; this keeps "-5" from reading as the year -5.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function shortened(reason: string): string {
  const oneLine = reason.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH)}…` : oneLine;
}

/** The reason field of a JSON error object, or a JSON string; undefined when there is none. */
function jsonReason(parsed: unknown): string | undefined {
  if (typeof parsed === "string") return parsed.trim() === "" ? undefined : parsed;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const field = [record.error, record.message, record.reason].find(
    (value) => typeof value === "string" && value.trim() !== "",
  );
  return typeof field === "string" ? field : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The server's own words: `{"error": ...}` or `{"message": ...}` JSON, or short plain text. */
export function serverReasonOf(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed || trimmed.startsWith("<")) return undefined;
  if (trimmed.startsWith("{") || trimmed.startsWith('"')) {
    const parsed = parseJson(trimmed);
    // Not JSON after all: the text itself is the reason.
    const reason = parsed.ok ? jsonReason(parsed.value) : undefined;
    if (reason !== undefined) return shortened(reason);
  }
  return shortened(trimmed);
}

/** A web page, from a captive portal, a proxy or a website where the API should be. */
export function isWebPage(answer: Pick<HttpAnswer, "body" | "contentType">): boolean {
  return (
    /^\s*text\/html\b/i.test(answer.contentType ?? "") || answer.body.trimStart().startsWith("<")
  );
}

let reasonPhrases: Set<string> | undefined;

/**
 * node:http's reason phrases, read with the first answer classified: loading node:http at start
 * costs the terminal's start-up (see Transport), and an answer means got has loaded it already.
 */
function reasonPhrasesOfHttp(): Set<string> {
  if (!reasonPhrases) {
    const http = createRequire(import.meta.url)("node:http") as typeof import("node:http");
    reasonPhrases = new Set(
      Object.values(http.STATUS_CODES).map((phrase) => (phrase ?? "").toLowerCase()),
    );
  }
  return reasonPhrases;
}

/** "Not Found", "404 Not Found", "HTTP 404": what any server or proxy says, not the service's verdict. */
function isBarePhrase(reason: string): boolean {
  const words = reason
    .toLowerCase()
    .replace(/^(http\/[\d.]+\s*)?(http\s*)?(error\s*)?\d{3}\b[\s:-]*/, "")
    .replace(/[.!]+$/, "")
    .trim();
  return words === "" || reasonPhrasesOfHttp().has(words);
}

/**
 * The reason when the answer is the service's own verdict: not a web page, not a bare status
 * phrase. `jsonOnly` asks for a JSON error with a reason: a 404 in plain text is what every
 * router, proxy and servlet container says for a path it does not serve.
 */
export function ownVerdict(answer: HttpAnswer, jsonOnly: boolean): string | undefined {
  if (isWebPage(answer)) return undefined;
  const trimmed = answer.body.trim();
  let reason: string | undefined;
  if (jsonOnly) {
    const parsed = parseJson(trimmed);
    reason = parsed.ok ? jsonReason(parsed.value) : undefined;
    if (reason !== undefined) reason = shortened(reason);
  } else {
    reason = serverReasonOf(trimmed);
  }
  return reason === undefined || isBarePhrase(reason) ? undefined : reason;
}

/** The reason as the tail of a sentence that the caller ends with a period. */
function said(reason: string | undefined): string {
  return reason === undefined ? "" : `: ${reason.replace(/\.+$/, "")}`;
}

/**
 * The error for a non-2xx answer. Only a refusal of a write with the service's own reason is a
 * verdict on that request; what else comes back is about the address, the session or the service.
 */
export function errorForStatus(answer: HttpAnswer, context: StatusContext): GoodTimeError {
  const { status } = answer;
  const { endpoint } = context;
  const serverReason = isWebPage(answer) ? undefined : serverReasonOf(answer.body);
  const reason = said(serverReason);
  const base = { endpoint, status, ...(serverReason === undefined ? {} : { serverReason }) };
  const page = isWebPage(answer) ? " with a web page" : "";

  if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, context.now);
    const wait =
      retryAfterMs === undefined
        ? "Try again later."
        : `The server asks to wait ${Math.ceil(retryAfterMs / 1000)} s before trying again.`;
    const failed = status >= 500;
    const what = failed ? "GoodTime failed" : "GoodTime turned the request away";
    return new GoodTimeError(`${what} (${status} from ${endpoint}${page})${reason}. ${wait}`, {
      ...base,
      // A failing service fails every request alike; a busy one turns away some of them.
      kind: failed ? "endpoint" : "retryable",
      code: failed ? "GT_SERVER_ERROR" : "GT_SERVER_BUSY",
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403) {
    const hint =
      status === 403
        ? "The account may restrict the REST API to certain networks (GoodTime Settings, tab Security)."
        : context.call === "login"
          ? "Check the API password (GoodTime Settings, tab Security) and server.loginEmail."
          : "Check that the REST API is enabled and that server.authHeader and server.authScheme match what the account expects.";
    const message =
      context.call === "login"
        ? `GoodTime refused the login of ${context.loginEmail} (${status} from ${endpoint})${reason}. ${hint}`
        : `GoodTime refused the token of ${context.loginEmail} (${status} from ${endpoint}) even after a fresh login${reason}. ${hint}`;
    return new GoodTimeError(message, {
      ...base,
      kind: "auth",
      code: context.call === "login" ? "GT_LOGIN_REJECTED" : "GT_AUTH_REJECTED",
    });
  }
  if (REFUSED_STATUSES.has(status)) {
    const verdict = context.call === "write" ? ownVerdict(answer, false) : undefined;
    if (verdict !== undefined) {
      return new GoodTimeError(`GoodTime refused ${endpoint} (${status})${said(verdict)}.`, {
        ...base,
        kind: "refused",
        code: "GT_REFUSED",
      });
    }
    return new GoodTimeError(
      `GoodTime answered ${endpoint} with ${status}${page}${reason}, which is no verdict on one entry: check server.baseUrl, server.apiVersion and server.timeFormat (timeclock doctor).`,
      { ...base, kind: "endpoint", code: "GT_UNEXPECTED_STATUS" },
    );
  }
  if (status === 404) {
    // 404 is what every router, proxy and servlet container answers for a path it does not serve,
    // so by itself it says the address is wrong (server.baseUrl, server.apiVersion, a portal), and
    // pauses the sync. Only a request that names a user or an entry (createtimeentry,
    // deletetimeentry, timeentries, projects/{email}) answered with the service's own JSON error,
    // whose reason is more than "Not Found", is taken as "no such user or entry": a verdict on that
    // request, which parks that one entry. A login always reaches the same path, so its 404 is
    // always about the address.
    const verdict = context.namesSubject ? ownVerdict(answer, true) : undefined;
    if (verdict !== undefined) {
      return new GoodTimeError(
        `GoodTime does not know what ${endpoint} names (404)${said(verdict)}. Check the user's login email (timeclock badges list) or the id.`,
        { ...base, serverReason: verdict, kind: "refused", code: "GT_NOT_FOUND" },
      );
    }
    return new GoodTimeError(
      `GoodTime has no ${endpoint} (404${page ? ", a web page" : ""})${reason}: server.baseUrl or server.apiVersion is wrong, or the service moved.`,
      { ...base, kind: "endpoint", code: "GT_NOT_FOUND" },
    );
  }
  if (status >= 300 && status < 400) {
    return new GoodTimeError(
      `GoodTime redirects ${endpoint} (${status}) to ${answer.location ?? "an unnamed location"}: a captive portal or proxy login on this network, or the service moved (then set server.baseUrl to its new address).`,
      { ...base, kind: "endpoint", code: "GT_REDIRECT" },
    );
  }
  return new GoodTimeError(
    `GoodTime answered ${endpoint} with the unexpected status ${status}${page}${reason}.`,
    { ...base, kind: "endpoint", code: "GT_UNEXPECTED_STATUS" },
  );
}

/**
 * The error for a 2xx answer the client cannot use (a web page, text that is not JSON, the wrong
 * shape). After a write the service may have acted: that is ambiguous, never a refusal. After the
 * login or a read, whatever answered is not the API.
 */
export function errorForUnusable(
  endpoint: string,
  call: CallKind,
  problem: string,
  code: "GT_BAD_RESPONSE" | "GT_NOT_API" | "GT_RESPONSE_TOO_LARGE",
): GoodTimeError {
  if (call === "write") {
    return new GoodTimeError(
      `GoodTime answered ${endpoint}, but ${problem}; it may or may not have carried it out. Look before trying again.`,
      { endpoint, kind: "ambiguous", code },
    );
  }
  const what =
    code === "GT_NOT_API" ? "check the network and server.baseUrl" : "check server.baseUrl";
  return new GoodTimeError(
    `GoodTime answered ${endpoint} with something the terminal cannot use: ${problem}; ${what}.`,
    { endpoint, kind: "endpoint", code },
  );
}

export interface TransportFailure {
  /** Node or got error code, e.g. ECONNREFUSED, ETIMEDOUT, ECONNRESET. */
  code: string | undefined;
  message: string;
  timedOut: boolean;
  /** Whether the whole request, body included, had been handed to the network. */
  bodySent: boolean;
  timeoutMs: number;
}

/**
 * The error for a request that got no answer. For a request that changes data (`idempotent`
 * false) whose body had been sent, nobody can tell whether the server acted: that is ambiguous.
 */
export function errorForTransport(
  failure: TransportFailure,
  endpoint: string,
  idempotent: boolean,
): GoodTimeError {
  const cause =
    failure.code && !failure.message.includes(failure.code)
      ? `${failure.code}: ${failure.message}`
      : failure.message;
  if (failure.bodySent && !idempotent) {
    const what = failure.timedOut
      ? `no answer within ${failure.timeoutMs} ms after ${endpoint} was sent`
      : `the connection broke after ${endpoint} was sent (${cause})`;
    return new GoodTimeError(
      `${what}; GoodTime may or may not have carried it out. Look before trying again.`,
      {
        endpoint,
        kind: "ambiguous",
        code: failure.timedOut ? "GT_TIMEOUT_AFTER_SEND" : "GT_CONNECTION_LOST_AFTER_SEND",
      },
    );
  }
  if (failure.timedOut) {
    return new GoodTimeError(
      `no answer from GoodTime within ${failure.timeoutMs} ms (${endpoint}). Check the network, or raise server.timeoutMs if the service is slow.`,
      { endpoint, kind: "retryable", code: "GT_TIMEOUT" },
    );
  }
  if (failure.code && TLS_CODE.test(failure.code)) {
    return new GoodTimeError(
      `the TLS check of the GoodTime server failed (${cause}) for ${endpoint}. Check the system clock and the CA certificates; verification stays on.`,
      { endpoint, kind: "retryable", code: "GT_TLS" },
    );
  }
  if (failure.code === "ECONNRESET" || failure.code === "EPIPE") {
    return new GoodTimeError(`the connection to GoodTime broke (${cause}) during ${endpoint}.`, {
      endpoint,
      kind: "retryable",
      code: "GT_CONNECTION_LOST",
    });
  }
  return new GoodTimeError(
    `cannot reach GoodTime (${cause}) for ${endpoint}. Check the network and server.baseUrl.`,
    { endpoint, kind: "retryable", code: "GT_NETWORK" },
  );
}
