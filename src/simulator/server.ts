import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ApiRoute } from "./api.js";
import type { TokenAuthority } from "./auth.js";
import { cannedReply } from "./canned.js";
import type { ControlRoutes } from "./control.js";
import type { CommitPoint, FaultInjector } from "./faults.js";
import { ApiError, errorReply, quote, type Reply } from "./reply.js";
import type { SimulatorAccount } from "./state.js";

/**
 * HTTP plumbing: reads the request, applies faults, routes, checks the token and writes the reply.
 * API routes live below `{basePath}/api`; the simulator's own control routes below
 * `{basePath}/_sim`, a prefix GoodTime does not use, and faults never touch them.
 */

export interface ServerParts {
  basePath: string;
  routes: ApiRoute[];
  control: ControlRoutes;
  state: SimulatorAccount;
  faults: FaultInjector;
  tokens: TokenAuthority;
  now: () => Date;
  logger: Logger;
}

interface ApiCall {
  method: string;
  /** The request target as received. */
  target: string;
  /** Below the base path, without the query. */
  path: string;
  query: URLSearchParams;
  body: string;
}

const BODY_LIMIT_BYTES = 64 * 1024;
const CONTROL_PREFIX = "/_sim/";

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    request.on("end", () => {
      if (size > BODY_LIMIT_BYTES) reject(new BodyTooLarge());
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    request.on("error", reject);
  });
}

function decodeParams(match: RegExpExecArray): string[] {
  return match.slice(1).map((segment) => {
    try {
      return decodeURIComponent(segment ?? "");
    } catch {
      throw new ApiError(400, `path segment ${quote(segment)} is not valid percent-encoding`);
    }
  });
}

export class SimulatorServer {
  readonly http: Server;
  readonly #parts: ServerParts;
  readonly #pendingTimers = new Set<NodeJS.Timeout>();

  constructor(parts: ServerParts) {
    this.#parts = parts;
    this.http = createServer((request, response) => {
      this.#serve(request, response).catch((error: unknown) => {
        parts.logger.error({ err: error }, "simulator failed to answer a request");
        if (!response.headersSent) this.#write(response, errorReply(500, "simulator error"));
        else response.destroy();
      });
    });
    this.http.keepAliveTimeout = 5000;
  }

  /** Ends delays still waiting, so close() does not wait for them. */
  cancelPending(): void {
    for (const timer of this.#pendingTimers) clearTimeout(timer);
    this.#pendingTimers.clear();
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { basePath } = this.#parts;
    const target = request.url ?? "/";
    if (!target.startsWith("/")) {
      this.#write(response, errorReply(400, `request target ${quote(target)} is not a path`));
      return;
    }
    // Joined rather than resolved, so a path such as "//x" cannot pass for a host name.
    const url = new URL(`http://simulator.invalid${target}`);
    const method = request.method ?? "GET";
    let body: string;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      const tooLarge = `request body is over ${BODY_LIMIT_BYTES} bytes`;
      this.#write(response, errorReply(413, tooLarge, { Connection: "close" }));
      return;
    }
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      this.#write(response, this.#notFound(url.pathname));
      return;
    }
    const path = url.pathname.slice(basePath.length) || "/";
    if (path.startsWith(CONTROL_PREFIX)) {
      this.#write(
        response,
        this.#guard(() => this.#parts.control.handle(method, path, body)),
      );
      return;
    }
    await this.#serveApi(request, response, {
      method,
      target,
      path,
      query: url.searchParams,
      body,
    });
  }

  async #serveApi(
    request: IncomingMessage,
    response: ServerResponse,
    call: ApiCall,
  ): Promise<void> {
    const { faults, state, logger } = this.#parts;
    const record = (status: number | "dropped") => {
      state.record({ method: call.method, path: call.path, status, time: this.#parts.now() });
      logger.info({ method: call.method, path: call.path, status }, "simulator request");
    };
    const delayMs = faults.nextLatencyMs();
    if (delayMs > 0) await this.#delay(delayMs);
    if (response.destroyed) return;
    if (faults.takeDrop("before-commit", call.path)) {
      state.count("droppedConnections");
      record("dropped");
      request.socket.destroy();
      return;
    }
    const injected =
      faults.takeFailure(call.path) ?? this.#oddAnswer("before-commit", request, call);
    if (injected) {
      state.count("injectedFailures");
      record(injected.status);
      this.#write(response, injected);
      return;
    }
    const reply = this.#guard(() => this.#route(request, call));
    if (faults.takeDrop("after-commit", call.path)) {
      state.count("droppedConnections");
      record("dropped");
      request.socket.destroy();
      return;
    }
    const replaced = this.#oddAnswer("after-commit", request, call);
    if (replaced) {
      state.count("injectedFailures");
      record(replaced.status);
      this.#write(response, replaced);
      return;
    }
    if (reply.status === 401) state.count("authFailures");
    else if (reply.status >= 400) state.count("refusals");
    record(reply.status);
    this.#write(response, reply);
  }

  #oddAnswer(when: CommitPoint, request: IncomingMessage, call: ApiCall): Reply | undefined {
    const answer = this.#parts.faults.takeAnswer(when, call.path);
    if (!answer) return undefined;
    return cannedReply(answer, {
      method: call.method,
      target: call.target,
      rawHeaders: request.rawHeaders,
      headers: request.headers,
      body: call.body,
    });
  }

  #route(request: IncomingMessage, call: ApiCall): Reply {
    const matching = this.#parts.routes
      .map((route) => ({ route, match: route.pattern.exec(call.path) }))
      .filter((candidate) => candidate.match !== null);
    if (matching.length === 0) return this.#notFound(call.path);
    const found = matching.find((candidate) => candidate.route.method === call.method);
    if (!found?.match) {
      const allow = matching.map((candidate) => candidate.route.method).join(", ");
      return errorReply(405, `${call.method} is not allowed on ${call.path}; use ${allow}`, {
        Allow: allow,
      });
    }
    if (found.route.secured) this.#parts.tokens.check(request.headers);
    return found.route.handle({
      params: decodeParams(found.match),
      query: call.query,
      headers: request.headers,
      body: call.body,
    });
  }

  #guard(handle: () => Reply): Reply {
    try {
      return handle();
    } catch (error) {
      if (error instanceof ApiError) return errorReply(error.status, error.message, error.headers);
      throw error;
    }
  }

  #notFound(path: string): Reply {
    return errorReply(
      404,
      `no such resource: ${quote(path)}; GoodTime paths live below ${this.#parts.basePath}/api`,
    );
  }

  #delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pendingTimers.delete(timer);
        resolve();
      }, ms);
      this.#pendingTimers.add(timer);
    });
  }

  #write(response: ServerResponse, reply: Reply): void {
    if (response.destroyed) return;
    const date = new Date(this.#parts.now().getTime() + this.#parts.faults.clockOffsetMs);
    response.writeHead(reply.status, {
      ...reply.headers,
      Date: date.toUTCString(),
      "Content-Length": Buffer.byteLength(reply.body),
    });
    response.end(reply.body);
  }
}
