/**
 * One error class for everything the GoodTime client can fail with. `kind` decides what the sync
 * does next; `code` is stable so that logs, metrics and tests can name a failure without parsing
 * its message. Messages never carry the API password or the token.
 */

/**
 * - retryable: nothing was booked; try again later (after `retryAfterMs` if set).
 * - auth: the credentials are refused; retrying will not help until an admin acts.
 * - endpoint: the answer is about the address or the service, not about this request: a captive
 *   portal's page, a redirect, a 404 for the API itself, a 5xx, an answer that cannot be read.
 *   Every request would get it, so the sync pauses as a whole and tries again later.
 * - refused: the service understood this request and said no, in its own words; permanent for it.
 * - ambiguous: the request reached the server but no usable answer came back (none, or one that
 *   cannot be read); it may or may not have taken effect, so the caller must look before it tries
 *   again.
 */
export type GoodTimeErrorKind = "retryable" | "auth" | "endpoint" | "refused" | "ambiguous";

export type GoodTimeErrorCode =
  | "GT_NETWORK"
  | "GT_TLS"
  | "GT_TIMEOUT"
  | "GT_CONNECTION_LOST"
  | "GT_TIMEOUT_AFTER_SEND"
  | "GT_CONNECTION_LOST_AFTER_SEND"
  | "GT_SERVER_BUSY"
  | "GT_SERVER_ERROR"
  | "GT_LOGIN_REJECTED"
  | "GT_AUTH_REJECTED"
  | "GT_REFUSED"
  | "GT_NOT_FOUND"
  | "GT_UNEXPECTED_STATUS"
  | "GT_REDIRECT"
  | "GT_NOT_API"
  | "GT_RESPONSE_TOO_LARGE"
  | "GT_BAD_RESPONSE";

export interface GoodTimeErrorDetails {
  kind: GoodTimeErrorKind;
  code: GoodTimeErrorCode;
  /** Method and path, e.g. "POST /goodtime-rs/api/time-v2.1/createtimeentry". */
  endpoint: string;
  status?: number;
  retryAfterMs?: number;
  serverReason?: string;
}

export class GoodTimeError extends Error {
  readonly kind: GoodTimeErrorKind;
  readonly code: GoodTimeErrorCode;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly serverReason?: string;
  readonly endpoint: string;

  constructor(message: string, details: GoodTimeErrorDetails) {
    super(message);
    this.name = "GoodTimeError";
    this.kind = details.kind;
    this.code = details.code;
    this.endpoint = details.endpoint;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.serverReason !== undefined) this.serverReason = details.serverReason;
  }
}

/** The same error with `clean` applied to its texts; the error itself when nothing changes. */
export function cleanedError(error: GoodTimeError, clean: (text: string) => string): GoodTimeError {
  const message = clean(error.message);
  const serverReason = error.serverReason === undefined ? undefined : clean(error.serverReason);
  if (message === error.message && serverReason === error.serverReason) return error;
  return new GoodTimeError(message, {
    kind: error.kind,
    code: error.code,
    endpoint: error.endpoint,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(serverReason === undefined ? {} : { serverReason }),
  });
}

function hasKind(error: unknown, kind: GoodTimeErrorKind): boolean {
  return error instanceof GoodTimeError && error.kind === kind;
}

export function isRetryable(error: unknown): boolean {
  return hasKind(error, "retryable");
}

export function isAmbiguous(error: unknown): boolean {
  return hasKind(error, "ambiguous");
}

export function isAuthFailure(error: unknown): boolean {
  return hasKind(error, "auth");
}

export function isRefused(error: unknown): boolean {
  return hasKind(error, "refused");
}

export function isEndpointProblem(error: unknown): boolean {
  return hasKind(error, "endpoint");
}
