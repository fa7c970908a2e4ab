import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { signJwt, verifyJwt } from "./jwt.js";
import { ApiError, utc } from "./reply.js";

export interface AuthSettings {
  header: string;
  /** "" means the header holds the bare token. */
  scheme: string;
  lifetimeSeconds: number;
  now: () => Date;
}

/**
 * Hands out and checks login tokens. The signing key lives only in memory, so a restarted
 * simulator refuses old tokens the way a redeployed service may. Expiring all tokens bumps a
 * generation claim rather than the key, so the refusal says "expired", as a real one would.
 */
export class TokenAuthority {
  readonly #secret = randomBytes(32);
  readonly #settings: AuthSettings;
  #generation = 1;

  constructor(settings: AuthSettings) {
    this.#settings = settings;
  }

  issue(loginEmail: string): string {
    const nowSeconds = Math.floor(this.#settings.now().getTime() / 1000);
    return signJwt(
      {
        sub: loginEmail,
        iat: nowSeconds,
        exp: nowSeconds + this.#settings.lifetimeSeconds,
        jti: randomUUID(),
        gen: this.#generation,
      },
      this.#secret,
    );
  }

  expireAll(): void {
    this.#generation += 1;
  }

  /** Throws a 401 ApiError saying what is wrong with the request's token. */
  check(headers: IncomingHttpHeaders): void {
    const { header, scheme } = this.#settings;
    const challenge = { "WWW-Authenticate": scheme || "Token" };
    const expected = scheme ? `${header}: ${scheme} <token>` : `${header}: <token>`;
    const raw = headers[header.toLowerCase()];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (!value) {
      throw new ApiError(
        401,
        `the ${header} header is missing; log in with POST /api/login and send "${expected}"`,
        challenge,
      );
    }
    let token = value.trim();
    if (scheme) {
      const [given, rest] = [token.slice(0, scheme.length), token.slice(scheme.length)];
      if (given.toLowerCase() !== scheme.toLowerCase() || !/^ +\S/.test(rest)) {
        throw new ApiError(
          401,
          `the ${header} header does not start with "${scheme} "; send "${expected}"`,
          challenge,
        );
      }
      token = rest.trim();
    }
    const verified = verifyJwt(token, this.#secret);
    if (!verified.ok) {
      throw new ApiError(
        401,
        `the token ${verified.problem}; log in again with POST /api/login`,
        challenge,
      );
    }
    const { exp, gen } = verified.claims;
    const nowSeconds = this.#settings.now().getTime() / 1000;
    if (typeof exp !== "number" || exp <= nowSeconds || gen !== this.#generation) {
      const when = typeof exp === "number" ? ` (it expired at ${utc(new Date(exp * 1000))})` : "";
      throw new ApiError(
        401,
        `the token has expired${gen === this.#generation ? when : ""}; log in again with POST /api/login`,
        challenge,
      );
    }
  }
}
