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
const call = {
  endpoint: ENDPOINT,
  call: "write",
  namesSubject: true,
  loginEmail: "admin@gtsandbox.en",
  now: NOW,
} as const;
const LOGIN = {
  ...call,
  call: "login",
  namesSubject: false,
  endpoint: "POST /goodtime-rs/api/login",
} as const;
const READ = {
  ...call,
  call: "read",
  namesSubject: false,
  endpoint: "GET /goodtime-rs/api/time-v2.1/users",
} as const;
const LOOKUP = {
  ...READ,
  namesSubject: true,
  endpoint: "GET /goodtime-rs/api/time-v2.1/timeentries",
} as const;

const JSON_REASON = '{"error":"overlapping time entry"}';
const PAGE = "<html><body><h1>Welcome to Guest Wi-Fi</h1></body></html>";
const SPRING_404 =
  '{"timestamp":"2026-03-29T06:00:00Z","status":404,"error":"Not Found","path":"/x"}';

describe("errorForStatus", () => {
  it.each([
    // status, body, context -> kind, code
    [400, JSON_REASON, call, "refused", "GT_REFUSED"],
    [409, JSON_REASON, call, "refused", "GT_REFUSED"],
    [422, "time type unknown", call, "refused", "GT_REFUSED"],
    [422, "", call, "endpoint", "GT_UNEXPECTED_STATUS"],
    [400, PAGE, call, "endpoint", "GT_UNEXPECTED_STATUS"],
    [400, "Bad Request", call, "endpoint", "GT_UNEXPECTED_STATUS"],
    [400, JSON_REASON, LOGIN, "endpoint", "GT_UNEXPECTED_STATUS"],
    [
      400,
      '{"error":"query parameter start is not a time"}',
      LOOKUP,
      "endpoint",
      "GT_UNEXPECTED_STATUS",
    ],
    [404, '{"error":"useremail \\"x@y\\" is not a user"}', call, "refused", "GT_NOT_FOUND"],
    [404, '{"error":"useremail \\"x@y\\" is not a user"}', LOOKUP, "refused", "GT_NOT_FOUND"],
    [404, '{"error":"no such resource"}', LOGIN, "endpoint", "GT_NOT_FOUND"],
    [404, '{"error":"no such resource"}', READ, "endpoint", "GT_NOT_FOUND"],
    [404, PAGE, call, "endpoint", "GT_NOT_FOUND"],
    [404, "", call, "endpoint", "GT_NOT_FOUND"],
    [
      404,
      "RESTEASY003210: Could not find resource for full path",
      call,
      "endpoint",
      "GT_NOT_FOUND",
    ],
    [404, SPRING_404, call, "endpoint", "GT_NOT_FOUND"],
    [404, '"404 Not Found"', call, "endpoint", "GT_NOT_FOUND"],
    [410, "", call, "endpoint", "GT_UNEXPECTED_STATUS"],
    [415, JSON_REASON, call, "endpoint", "GT_UNEXPECTED_STATUS"],
    [301, "", call, "endpoint", "GT_REDIRECT"],
    [302, PAGE, LOGIN, "endpoint", "GT_REDIRECT"],
    [307, "", READ, "endpoint", "GT_REDIRECT"],
    [401, "", call, "auth", "GT_AUTH_REJECTED"],
    [403, "", call, "auth", "GT_AUTH_REJECTED"],
    [401, "", LOGIN, "auth", "GT_LOGIN_REJECTED"],
    [408, "", call, "retryable", "GT_SERVER_BUSY"],
    [425, "", call, "retryable", "GT_SERVER_BUSY"],
    [429, "", call, "retryable", "GT_SERVER_BUSY"],
    [500, "", call, "endpoint", "GT_SERVER_ERROR"],
    [502, PAGE, LOGIN, "endpoint", "GT_SERVER_ERROR"],
    [503, "", READ, "endpoint", "GT_SERVER_ERROR"],
  ] as const)("%i %j to %o is %s (%s)", (status, body, context, kind, code) => {
    const error = errorForStatus({ status, body }, context);
    expect({ kind: error.kind, code: error.code, status: error.status }).toEqual({
      kind,
      code,
      status,
    });
    expect(error.endpoint).toBe(context.endpoint);
    expect(error.message).toContain(context.endpoint);
  });

  it("takes a text/html content type for a page even when the body does not start with <", () => {
    const error = errorForStatus(
      { status: 409, body: "Conflict page", contentType: "text/html; charset=utf-8" },
      call,
    );
    expect(error).toMatchObject({ kind: "endpoint" });
    expect(error.message).toContain("with a web page");
  });

  it("calls a 401 from the login a rejected login and says what to check", () => {
    const error = errorForStatus({ status: 401, body: '{"error":"wrong credentials"}' }, LOGIN);
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
    const refused = errorForStatus({ status: 422, body: JSON_REASON }, call);
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
