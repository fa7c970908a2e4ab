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
  retryAfter?: string | undefined;
  location?: string | undefined;
}

export interface StatusContext {
  endpoint: string;
  /** True when the answer is to the login request itself. */
  login: boolean;
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

/** The server's own words: `{"error": ...}` or `{"message": ...}` JSON, or short plain text. */
export function serverReasonOf(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed || trimmed.startsWith("<")) return undefined;
  let reason = trimmed;
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      const field = [parsed.error, parsed.message, parsed.reason].find(
        (value) => typeof value === "string" && value.trim() !== "",
      );
      if (typeof field === "string") reason = field;
    } catch {
      // Not JSON after all: the text itself is the reason.
    }
  }
  reason = reason.replace(/\s+/g, " ").trim();
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}

/** The reason as the tail of a sentence that the caller ends with a period. */
function said(reason: string | undefined): string {
  return reason === undefined ? "" : `: ${reason.replace(/\.+$/, "")}`;
}

/** The error for a non-2xx answer. */
export function errorForStatus(answer: HttpAnswer, context: StatusContext): GoodTimeError {
  const { status } = answer;
  const { endpoint } = context;
  const serverReason = serverReasonOf(answer.body);
  const reason = said(serverReason);
  const base = { endpoint, status, ...(serverReason === undefined ? {} : { serverReason }) };

  if (status >= 500 || RETRYABLE_STATUSES.has(status)) {
    const retryAfterMs = parseRetryAfter(answer.retryAfter, context.now);
    const wait =
      retryAfterMs === undefined
        ? "Try again later."
        : `The server asks to wait ${Math.ceil(retryAfterMs / 1000)} s before trying again.`;
    const what = status >= 500 ? "GoodTime failed" : "GoodTime turned the request away";
    return new GoodTimeError(`${what} (${status} from ${endpoint})${reason}. ${wait}`, {
      ...base,
      kind: "retryable",
      code: status >= 500 ? "GT_SERVER_ERROR" : "GT_SERVER_BUSY",
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 401 || status === 403) {
    const hint =
      status === 403
        ? "The account may restrict the REST API to certain networks (GoodTime Settings, tab Security)."
        : context.login
          ? "Check the API password (GoodTime Settings, tab Security) and server.loginEmail."
          : "Check that the REST API is enabled and that server.authHeader and server.authScheme match what the account expects.";
    const message = context.login
      ? `GoodTime refused the login of ${context.loginEmail} (${status} from ${endpoint})${reason}. ${hint}`
      : `GoodTime refused the token of ${context.loginEmail} (${status} from ${endpoint}) even after a fresh login${reason}. ${hint}`;
    return new GoodTimeError(message, {
      ...base,
      kind: "auth",
      code: context.login ? "GT_LOGIN_REJECTED" : "GT_AUTH_REJECTED",
    });
  }
  if (REFUSED_STATUSES.has(status)) {
    return new GoodTimeError(`GoodTime refused ${endpoint} (${status})${reason}.`, {
      ...base,
      kind: "refused",
      code: "GT_REFUSED",
    });
  }
  if (status === 404) {
    return new GoodTimeError(
      `GoodTime does not know ${endpoint} (404)${reason}. Check the id or email asked for, server.baseUrl and server.apiVersion.`,
      { ...base, kind: "refused", code: "GT_NOT_FOUND" },
    );
  }
  if (status >= 300 && status < 400) {
    return new GoodTimeError(
      `GoodTime redirects ${endpoint} (${status}) to ${answer.location ?? "an unnamed location"}; set server.baseUrl to the address the service now lives at.`,
      { ...base, kind: "refused", code: "GT_UNEXPECTED_STATUS" },
    );
  }
  return new GoodTimeError(
    `GoodTime answered ${endpoint} with the unexpected status ${status}${reason}.`,
    { ...base, kind: "refused", code: "GT_UNEXPECTED_STATUS" },
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
