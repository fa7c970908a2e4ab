import * as z from "zod";
import { CANNED_KINDS, ECHO_ENCODINGS } from "./canned.js";
import type { FaultControl } from "./faults.js";
import { ApiError, jsonReply, quote, type Reply } from "./reply.js";
import type { SimulatorState } from "./state.js";

/**
 * The simulator's own control surface for tests that run it as a separate process:
 * `GET {basePath}/_sim/state` and `POST {basePath}/_sim/faults`. These are not GoodTime paths;
 * they exist only here, need no token and are never subject to injected faults.
 */

const pathPattern = z.union([z.string().min(1), z.strictObject({ regex: z.string().min(1) })]);

const faultCommands = z.strictObject({
  clear: z.literal(true).optional(),
  setLatency: z
    .union([
      z.number().min(0),
      z.strictObject({ minMs: z.number().min(0), maxMs: z.number().min(0) }),
    ])
    .optional(),
  failNext: z
    .strictObject({
      count: z.int().min(1),
      status: z.int().min(400).max(599),
      retryAfter: z.union([z.string().min(1), z.number().min(0)]).optional(),
      path: pathPattern.optional(),
      body: z.string().optional(),
    })
    .optional(),
  dropNext: z
    .strictObject({
      count: z.int().min(1),
      when: z.enum(["before-commit", "after-commit"]),
      path: pathPattern.optional(),
    })
    .optional(),
  answerNext: z
    .strictObject({
      count: z.int().min(1),
      kind: z.enum(CANNED_KINDS),
      status: z.int().min(200).max(599).optional(),
      encoding: z.enum(ECHO_ENCODINGS).optional(),
      bytes: z.int().min(1).optional(),
      location: z.string().min(1).optional(),
      when: z.enum(["before-commit", "after-commit"]).optional(),
      path: pathPattern.optional(),
    })
    .optional(),
  expireAllTokens: z.literal(true).optional(),
  setApiPassword: z.string().min(1).optional(),
  setClockOffsetMs: z.number().optional(),
  lockUntil: z
    .strictObject({ userEmail: z.string().min(1), until: z.iso.datetime({ offset: true }) })
    .optional(),
});

export type FaultCommands = z.infer<typeof faultCommands>;

function toMatcher(path: z.infer<typeof pathPattern> | undefined): string | RegExp | undefined {
  if (path === undefined || typeof path === "string") return path;
  try {
    return new RegExp(path.regex);
  } catch (error) {
    throw new ApiError(
      400,
      `path.regex ${quote(path.regex)} is not a regular expression: ${(error as Error).message}`,
    );
  }
}

export class ControlRoutes {
  readonly #state: SimulatorState;
  readonly #faults: FaultControl;

  constructor(state: SimulatorState, faults: FaultControl) {
    this.#state = state;
    this.#faults = faults;
  }

  handle(method: string, path: string, body: string): Reply {
    if (path === "/_sim/state") {
      if (method !== "GET")
        throw new ApiError(405, `${method} is not allowed on ${path}; use GET`, { Allow: "GET" });
      return jsonReply(200, this.snapshot());
    }
    if (path === "/_sim/faults") {
      if (method !== "POST")
        throw new ApiError(405, `${method} is not allowed on ${path}; use POST`, { Allow: "POST" });
      const commands = this.#parse(body);
      try {
        this.apply(commands);
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError(400, `the faults body was refused: ${(error as Error).message}`);
      }
      return jsonReply(200, { ok: true });
    }
    throw new ApiError(
      404,
      `no such control resource: ${quote(path)}; use /_sim/state or /_sim/faults`,
    );
  }

  /** What `GET /_sim/state` answers: instants as ISO 8601 UTC. */
  snapshot() {
    return {
      users: this.#state.users(),
      timeTypes: this.#state.timeTypes(),
      projects: this.#state.projects(),
      entries: this.#state.entries().map((entry) => ({
        ...entry,
        start: entry.start.toISOString(),
        end: entry.end.toISOString(),
      })),
      counters: this.#state.counters,
    };
  }

  /** Applies the commands in a fixed order: clear first, so one body can reset and re-arm. */
  apply(commands: FaultCommands): void {
    const faults = this.#faults;
    if (commands.clear) faults.clear();
    if (commands.setLatency !== undefined) faults.setLatency(commands.setLatency);
    if (commands.failNext) {
      const { count, status, retryAfter, path, body } = commands.failNext;
      faults.failNext(count, status, { retryAfter, path: toMatcher(path), body });
    }
    if (commands.dropNext) {
      const { count, when, path } = commands.dropNext;
      faults.dropNext(count, when, { path: toMatcher(path) });
    }
    if (commands.answerNext) {
      const { count, path, when, ...answer } = commands.answerNext;
      faults.answerNext(count, answer, { path: toMatcher(path), ...(when ? { when } : {}) });
    }
    if (commands.expireAllTokens) faults.expireAllTokens();
    if (commands.setApiPassword !== undefined) faults.setApiPassword(commands.setApiPassword);
    if (commands.setClockOffsetMs !== undefined) faults.setClockOffsetMs(commands.setClockOffsetMs);
    if (commands.lockUntil)
      this.#state.lockUntil(commands.lockUntil.userEmail, commands.lockUntil.until);
  }

  #parse(body: string): FaultCommands {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch (error) {
      throw new ApiError(400, `the faults body is not valid JSON: ${(error as Error).message}`);
    }
    const result = faultCommands.safeParse(raw);
    if (!result.success) {
      const problems = result.error.issues.map(
        (issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`,
      );
      throw new ApiError(400, `the faults body was refused: ${problems.join("; ")}`);
    }
    return result.data;
  }
}
