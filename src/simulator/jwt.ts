import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Just enough of RFC 7519 to hand out and check HS256 tokens shaped like a real service's, so that
 * a client reading the `exp` claim meets a real one.
 */

export type JwtClaims = Record<string, unknown>;

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; problem: string };

const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

function signature(signingInput: string, secret: Buffer): Buffer {
  return createHmac("sha256", secret).update(signingInput).digest();
}

export function signJwt(claims: JwtClaims, secret: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${signature(signingInput, secret).toString("base64url")}`;
}

/** Checks shape and signature only; what the claims mean is the caller's business. */
export function verifyJwt(token: string, secret: Buffer): JwtCheck {
  const parts = token.split(".");
  const [header, payload, signed] = parts;
  if (parts.length !== 3 || !header || !payload || !signed) {
    return { ok: false, problem: "is not a JSON web token (three dot-separated parts)" };
  }
  const expected = signature(`${header}.${payload}`, secret);
  const given = Buffer.from(signed, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: "has a signature this server did not make" };
  }
  try {
    const decodedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
    if (decodedHeader?.alg !== "HS256") {
      return { ok: false, problem: "names an algorithm other than HS256" };
    }
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
      return { ok: false, problem: "carries a payload that is not a JSON object" };
    }
    return { ok: true, claims: claims as JwtClaims };
  } catch {
    return { ok: false, problem: "carries a header or payload that is not JSON" };
  }
}
