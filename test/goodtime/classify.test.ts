import { describe, expect, it } from "vitest";
import {
  errorForStatus,
  errorForTransport,
  parseRetryAfter,
  serverReasonOf,
} from "../../src/goodtime/classify.js";
import { isAmbiguous, isAuthFailure, isRefused, isRetryable } from "../../src/goodtime/errors.js";

const NOW = new Date("2026-03-29T06:00:00Z");
const ENDPOINT = "POST /goodtime-rs/api/time-v2.1/createtimeentry";
const call = { endpoint: ENDPOINT, login: false, loginEmail: "admin@gtsandbox.en", now: NOW };

describe("errorForStatus", () => {
  it.each([
    [400, "refused", "GT_REFUSED"],
    [409, "refused", "GT_REFUSED"],
    [422, "refused", "GT_REFUSED"],
    [404, "refused", "GT_NOT_FOUND"],
    [410, "refused", "GT_UNEXPECTED_STATUS"],
    [301, "refused", "GT_UNEXPECTED_STATUS"],
    [401, "auth", "GT_AUTH_REJECTED"],
    [403, "auth", "GT_AUTH_REJECTED"],
    [408, "retryable", "GT_SERVER_BUSY"],
    [425, "retryable", "GT_SERVER_BUSY"],
    [429, "retryable", "GT_SERVER_BUSY"],
    [500, "retryable", "GT_SERVER_ERROR"],
    [502, "retryable", "GT_SERVER_ERROR"],
    [503, "retryable", "GT_SERVER_ERROR"],
  ])("%i is %s (%s)", (status, kind, code) => {
    const error = errorForStatus({ status, body: "" }, call);
    expect({ kind: error.kind, code: error.code, status: error.status }).toEqual({
      kind,
      code,
      status,
    });
    expect(error.endpoint).toBe(ENDPOINT);
    expect(error.message).toContain(ENDPOINT);
  });

  it("calls a 401 from the login a rejected login and says what to check", () => {
    const error = errorForStatus(
      { status: 401, body: '{"error":"wrong credentials"}' },
      { ...call, login: true, endpoint: "POST /goodtime-rs/api/login" },
    );
    expect(error.code).toBe("GT_LOGIN_REJECTED");
    expect(error.message).toBe(
      "GoodTime refused the login of admin@gtsandbox.en (401 from POST /goodtime-rs/api/login): wrong credentials. Check the API password (GoodTime Settings, tab Security) and server.loginEmail.",
    );
  });

  it("quotes the server's reason of a refusal", () => {
    const error = errorForStatus(
      { status: 409, body: '{"error": "  overlapping time entry\\n"}' },
      call,
    );
    expect(error.serverReason).toBe("overlapping time entry");
    expect(error.message).toBe(`GoodTime refused ${ENDPOINT} (409): overlapping time entry.`);
  });

  it.each([
    ["120", 120_000],
    ["0", 0],
    ["Sun, 29 Mar 2026 06:00:30 GMT", 30_000],
    ["Sun, 29 Mar 2026 05:59:00 GMT", 0],
  ])("honours Retry-After %j as %i ms", (retryAfter, expected) => {
    const error = errorForStatus({ status: 503, body: "", retryAfter }, call);
    expect(error.retryAfterMs).toBe(expected);
    expect(error.message).toContain(`wait ${expected / 1000} s`);
  });

  it("names the new address of a redirect", () => {
    const error = errorForStatus(
      { status: 301, body: "", location: "https://getgoodtime.com/goodtime-rs/api/login" },
      call,
    );
    expect(error.message).toContain("to https://getgoodtime.com/goodtime-rs/api/login");
    expect(error.message).toContain("server.baseUrl");
  });
});

describe("parseRetryAfter", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["soon", undefined],
    ["-5", undefined],
    [" 7 ", 7000],
    ["Sun, 29 Mar 2026 06:01:00 GMT", 60_000],
  ])("reads %j as %j", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe("serverReasonOf", () => {
  it.each([
    ['{"error":"unknown user \\"x@y\\""}', 'unknown user "x@y"'],
    ['{"message":"time type unknown"}', "time type unknown"],
    ['{"error":"","message":"second field"}', "second field"],
    ["  plain\n text  ", "plain text"],
    ['{"status":409}', '{"status":409}'],
    ["<html><body>502 Bad Gateway</body></html>", undefined],
    ["", undefined],
    ["x".repeat(400), `${"x".repeat(300)}…`],
  ])("of %j is %j", (body, expected) => {
    expect(serverReasonOf(body)).toBe(expected);
  });
});

describe("errorForTransport", () => {
  const failure = { message: "failed", timeoutMs: 10_000 };
  it.each([
    // code, timedOut, bodySent, idempotent -> kind, code
    ["ECONNREFUSED", false, false, false, "retryable", "GT_NETWORK"],
    ["ENOTFOUND", false, false, true, "retryable", "GT_NETWORK"],
    ["EAI_AGAIN", false, false, false, "retryable", "GT_NETWORK"],
    ["ETIMEDOUT", true, false, false, "retryable", "GT_TIMEOUT"],
    ["ETIMEDOUT", true, true, true, "retryable", "GT_TIMEOUT"],
    ["ETIMEDOUT", true, true, false, "ambiguous", "GT_TIMEOUT_AFTER_SEND"],
    ["ECONNRESET", false, true, false, "ambiguous", "GT_CONNECTION_LOST_AFTER_SEND"],
    ["ECONNRESET", false, true, true, "retryable", "GT_CONNECTION_LOST"],
    ["ECONNRESET", false, false, false, "retryable", "GT_CONNECTION_LOST"],
    ["EPIPE", false, false, false, "retryable", "GT_CONNECTION_LOST"],
    ["CERT_HAS_EXPIRED", false, false, false, "retryable", "GT_TLS"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", false, false, true, "retryable", "GT_TLS"],
    [undefined, false, false, true, "retryable", "GT_NETWORK"],
  ] as const)(
    "%s (timed out %s, body sent %s, idempotent %s) is %s %s",
    (code, timedOut, bodySent, idempotent, kind, expectedCode) => {
      const error = errorForTransport(
        { ...failure, code, timedOut, bodySent },
        ENDPOINT,
        idempotent,
      );
      expect({ kind: error.kind, code: error.code }).toEqual({ kind, code: expectedCode });
      expect(error.message).toContain(ENDPOINT);
    },
  );

  it("says that an ambiguous create may or may not have been stored", () => {
    const error = errorForTransport(
      { ...failure, code: "ETIMEDOUT", timedOut: true, bodySent: true },
      ENDPOINT,
      false,
    );
    expect(error.message).toBe(
      `no answer within 10000 ms after ${ENDPOINT} was sent; GoodTime may or may not have carried it out. Look before trying again.`,
    );
  });
});

describe("guards", () => {
  it("tell the kinds apart and reject foreign errors", () => {
    const refused = errorForStatus({ status: 422, body: "" }, call);
    const ambiguous = errorForTransport(
      { message: "x", code: "ECONNRESET", timedOut: false, bodySent: true, timeoutMs: 1 },
      ENDPOINT,
      false,
    );
    expect([isRefused(refused), isRetryable(refused), isAuthFailure(refused)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([isAmbiguous(ambiguous), isRetryable(ambiguous)]).toEqual([true, false]);
    expect(isRetryable(new Error("ECONNREFUSED"))).toBe(false);
    expect(isAuthFailure(undefined)).toBe(false);
  });
});
