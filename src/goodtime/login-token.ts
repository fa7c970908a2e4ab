/**
 * The vendor only says login returns "a JSON web token", so every plausible body is accepted:
 * the bare token as text, the token as a JSON string, or a JSON object holding it.
 */
const TOKEN_FIELDS = ["token", "jwt", "access_token", "accessToken"] as const;

export interface LoginToken {
  token: string;
  /** From the JWT `exp` claim, when the token is a JWT that carries one. */
  expiresAt?: Date;
}

/** Returns the token, or a description of what was wrong (never quoting the body, which may be a token). */
export function extractLoginToken(body: string): LoginToken | { problem: string } {
  const trimmed = body.trim();
  if (!trimmed) return { problem: "the login answer is empty" };
  let token: string | undefined;
  if (/^[[{"]/.test(trimmed)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { problem: "the login answer looks like JSON but does not parse" };
    }
    if (typeof parsed === "string") {
      token = parsed.trim();
    } else if (Array.isArray(parsed)) {
      return { problem: "the login answer is a JSON array, not a token" };
    } else if (parsed !== null && typeof parsed === "object") {
      const record = parsed as Record<string, unknown>;
      const field = TOKEN_FIELDS.find((name) => typeof record[name] === "string");
      if (!field) {
        return {
          problem: `the login answer is a JSON object without a token field (looked for ${TOKEN_FIELDS.join(", ")}; found keys ${Object.keys(record).join(", ") || "none"})`,
        };
      }
      token = (record[field] as string).trim();
    }
  } else {
    token = trimmed;
  }
  if (!token || !/^[\x21-\x7e]+$/.test(token)) {
    return {
      problem:
        "the login answer holds no usable token (empty, or not printable ASCII without spaces)",
    };
  }
  const expiresAt = jwtExpiry(token);
  return expiresAt ? { token, expiresAt } : { token };
}

/** The `exp` claim of a JWT, or undefined when the token is not a JWT or carries no expiry. */
export function jwtExpiry(token: string): Date | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (payload === null || typeof payload !== "object") return undefined;
    const exp = (payload as Record<string, unknown>).exp;
    return typeof exp === "number" && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
