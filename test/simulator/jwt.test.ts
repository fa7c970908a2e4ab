import { describe, expect, it } from "vitest";
import { signJwt, verifyJwt } from "../../src/simulator/jwt.js";

const secret = Buffer.alloc(32, 7);
const otherSecret = Buffer.alloc(32, 8);

describe("simulator JWT", () => {
  it("verifies its own token and gives back the claims", () => {
    const token = signJwt({ sub: "admin@gtsandbox.en", exp: 2 }, secret);
    expect(verifyJwt(token, secret)).toEqual({
      ok: true,
      claims: { sub: "admin@gtsandbox.en", exp: 2 },
    });
  });

  it("matches the RFC 7519 HS256 construction", () => {
    const token = signJwt({ sub: "x" }, secret);
    const [header, payload, signature] = token.split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({
      alg: "HS256",
      typ: "JWT",
    });
    expect(payload).toBe(Buffer.from('{"sub":"x"}').toString("base64url"));
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  const valid = signJwt({ sub: "x" }, secret);
  const [header, payload] = valid.split(".");
  const forgedPayload = Buffer.from('{"sub":"y"}').toString("base64url");
  const noneHeader = Buffer.from('{"alg":"none"}').toString("base64url");

  it.each([
    ["not-a-token", "three dot-separated parts"],
    [`${header}.${payload}`, "three dot-separated parts"],
    [signJwt({ sub: "x" }, otherSecret), "signature this server did not make"],
    [`${header}.${forgedPayload}.${valid.split(".")[2]}`, "signature this server did not make"],
    [`${noneHeader}.${payload}.${valid.split(".")[2]}`, "signature this server did not make"],
  ])("refuses %s", (token, problem) => {
    expect(verifyJwt(token, secret)).toEqual({
      ok: false,
      problem: expect.stringContaining(problem),
    });
  });
});
