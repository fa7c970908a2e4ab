import type { Agent as HttpAgent } from "node:http";
import type { Agent as HttpsAgent } from "node:https";
import type { Got } from "got";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { type CallKind, errorForTransport, errorForUnusable, type HttpAnswer } from "./classify.js";

/**
 * One HTTP exchange with GoodTime: the request as got sends it, the answer as facts for the
 * classifier (status, a body no larger than the cap, headers), and a failure without an answer as
 * a GoodTimeError. It knows nothing of tokens beyond putting one in its header.
 */

export type Method = "GET" | "POST" | "DELETE";

export interface Request {
  method: Method;
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  kind: CallKind;
}

export interface TransportOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Header that carries the token, e.g. "Authorization". */
  authHeader: string;
  /** Word before the token, e.g. "Bearer"; "" sends the bare token. */
  authScheme: string;
  logger: Logger;
  clock: Clock;
  /** Hides secrets in what may end up in a message: error bodies and transport errors. */
  scrub: (text: string) => string;
  /** Called with each response's Date header and the local time it arrived. */
  onServerDate?: ((serverDate: Date, localDate: Date) => void) | undefined;
}

const USER_AGENT = "timeclock (GoodTime badge terminal)";
/**
 * A kept-alive connection idle this long is closed by the agent. Servers close idle connections
 * after a few seconds and NAT routers forget them silently; a create sent on such a dead
 * connection would end ambiguous, so only fresh connections are reused.
 */
const IDLE_SOCKET_MS = 4000;
/**
 * The longest answer read. The terminal's own reads are a token and one user's entries in a
 * three-minute window (a few KiB); even the users or projects list of an account with thousands
 * of people stays far below this. got keeps a whole answer in memory, and a 10 MB answer was
 * measured to cost 170 MB of RSS, more than a Pi Zero can spare: a captive portal, a proxy or a
 * broken server must not be able to send more than this.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

type GotModule = typeof import("got");
let gotModule: Promise<GotModule> | undefined;

/**
 * got is loaded with the first request, not with the terminal: with its dependencies (a cache, an
 * HTTP/2 client, form-data encoding, none of which the terminal uses but all of which got's core
 * imports) it costs about 20 MiB and 0.2 s here, which a terminal with nothing to book never needs.
 */
function loadGot(): Promise<GotModule> {
  gotModule ??= import("got");
  return gotModule;
}

interface Client {
  client: Got;
  got: GotModule;
}

export class Transport {
  readonly #options: TransportOptions;
  /**
   * Made with the client: node:http and node:https (with TLS and crypto) cost about 30 ms before
   * ready under the unit's Node flags, which recompile every Node module they load; got loads
   * them anyway.
   */
  #agents: { http: HttpAgent; https: HttpsAgent } | undefined;
  #client: Promise<Client> | undefined;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  async #makeClient(): Promise<Client> {
    const [got, http, https] = await Promise.all([
      loadGot(),
      import("node:http"),
      import("node:https"),
    ]);
    this.#agents = {
      http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
      https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    };
    // The sync owns retries, so got never retries on its own; redirects would hide a moved service.
    // Otherwise got's defaults: no cache, HTTP/1.1 only, the system's DNS lookup.
    const client = got.default.extend({
      retry: { limit: 0 },
      timeout: { request: this.#options.timeoutMs },
      agent: this.#agents,
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      headers: { "user-agent": USER_AGENT, accept: "application/json, text/plain;q=0.9" },
    });
    return { client, got };
  }

  async exchange(call: Request, endpoint: string, token: string | undefined): Promise<HttpAnswer> {
    const { baseUrl, authHeader, authScheme, scrub, logger } = this.#options;
    const headers: Record<string, string> = {};
    if (token !== undefined) {
      headers[authHeader.toLowerCase()] = authScheme ? `${authScheme} ${token}` : token;
    }
    this.#client ??= this.#makeClient();
    const { client, got } = await this.#client;
    const { RequestError, TimeoutError } = got;
    const request = client(baseUrl + call.path, {
      method: call.method,
      headers,
      ...(call.json === undefined ? {} : { json: call.json }),
      ...(call.searchParams ? { searchParams: call.searchParams } : {}),
    });
    let tooLarge = false;
    // Counted after decompression, so a small gzip bomb is stopped as early as a big answer.
    request.on("downloadProgress", ({ transferred, total }) => {
      if (transferred <= MAX_BODY_BYTES && (total ?? 0) <= MAX_BODY_BYTES) return;
      tooLarge = true;
      request.cancel();
    });
    try {
      const response = await request;
      this.#reportServerDate(response.headers.date);
      const status = response.statusCode;
      logger.debug({ endpoint, status }, "GoodTime answered");
      const ok = status >= 200 && status < 300;
      return {
        status,
        // Error bodies end up in messages; a server echoing credentials must not leak them.
        body: ok ? response.body : scrub(response.body),
        contentType: response.headers["content-type"],
        retryAfter: response.headers["retry-after"],
        location: response.headers.location,
      };
    } catch (error) {
      if (tooLarge) {
        const problem = `its answer is larger than ${MAX_BODY_BYTES} bytes, more than any answer of the API, and was not read`;
        throw errorForUnusable(endpoint, call.kind, problem, "GT_RESPONSE_TOO_LARGE");
      }
      if (!(error instanceof RequestError)) throw error;
      logger.debug({ endpoint, code: error.code }, "GoodTime request failed");
      throw errorForTransport(
        {
          code: error.code,
          message: scrub(error.message),
          timedOut: error instanceof TimeoutError,
          // got's timer sets `upload` on the request's "finish" event: the body was handed to the OS.
          bodySent: error.timings?.upload !== undefined,
          timeoutMs: this.#options.timeoutMs,
        },
        endpoint,
        call.kind !== "write",
      );
    }
  }

  /** Closes kept-alive connections; the transport stays usable and reconnects when called. */
  close(): void {
    this.#agents?.http.destroy();
    this.#agents?.https.destroy();
  }

  #reportServerDate(header: string | undefined): void {
    const { onServerDate, clock, logger } = this.#options;
    if (!onServerDate || !header) return;
    const serverMs = Date.parse(header);
    if (Number.isNaN(serverMs)) return;
    try {
      onServerDate(new Date(serverMs), clock.now());
    } catch (error) {
      logger.warn({ err: error }, "the server clock check failed");
    }
  }
}
