import { describe, expect, it } from "vitest";
import { extractLoginToken, jwtExpiry } from "../../src/goodtime/login-token.js";

function jwt(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part(payload)}.c2lnbmF0dXJl`;
}

const EXP = 1_774_763_940;
const TOKEN = jwt({ sub: "admin@gtsandbox.en", exp: EXP });

describe("extractLoginToken", () => {
  it.each([
    ["bare text", TOKEN],
    ["bare text with a trailing newline", `${TOKEN}\n`],
    ["a JSON string", JSON.stringify(TOKEN)],
    ["a JSON object with token", JSON.stringify({ token: TOKEN })],
    ["a JSON object with jwt", JSON.stringify({ jwt: TOKEN, user: "x" })],
    ["a JSON object with access_token", JSON.stringify({ access_token: TOKEN, expires_in: 3600 })],
  ])("takes the token from %s and reads its exp", (_form, body) => {
    expect(extractLoginToken(body)).toEqual({ token: TOKEN, expiresAt: new Date(EXP * 1000) });
  });

  it("accepts an opaque token without expiry", () => {
    expect(extractLoginToken("0123456789abcdef")).toEqual({ token: "0123456789abcdef" });
  });

  it.each([
    ["", /empty/],
    ["{not json", /does not parse/],
    [JSON.stringify({ session: "abc" }), /without a token field .*found keys session/],
    [JSON.stringify({ token: 42 }), /without a token field/],
    ["two words", /no usable token/],
    [JSON.stringify(""), /no usable token/],
    ["[1,2]", /a JSON array, not a token/],
    ["ümlaut-token", /no usable token/],
  ])("explains why %j holds no token", (body, problem) => {
    const result = extractLoginToken(body);
    expect("problem" in result && result.problem).toMatch(problem);
  });
});

describe("jwtExpiry", () => {
  it.each([
    [TOKEN, new Date(EXP * 1000)],
    [jwt({ sub: "a" }), undefined],
    [jwt({ exp: "soon" }), undefined],
    ["a.b", undefined],
    ["a.!!!.c", undefined],
    ["opaque", undefined],
  ])("of %s is %s", (token, expected) => {
    expect(jwtExpiry(token)).toEqual(expected);
  });
});
