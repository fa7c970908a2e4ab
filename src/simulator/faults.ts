import { type CannedAnswer, checkCannedAnswer } from "./canned.js";
import { errorReply, type Reply } from "./reply.js";

export type CommitPoint = "before-commit" | "after-commit";

export interface FaultControl {
  /** Delay added before answering every API request: fixed, or uniform in [minMs, maxMs]. */
  setLatency(ms: number | { minMs: number; maxMs: number }): void;
  /** The next `count` matching API requests are answered with `status` (and Retry-After, if given). */
  failNext(
    count: number,
    status: number,
    options?: { retryAfter?: string | number; path?: string | RegExp; body?: string },
  ): void;
  /**
   * The next `count` matching API requests lose their connection without an answer: before the
   * request is handled, or after it (a createtimeentry dropped "after-commit" WAS stored).
   */
  dropNext(count: number, when: CommitPoint, options?: { path?: string | RegExp }): void;
  /**
   * The next `count` matching API requests get an answer no GoodTime gives (a portal page, a
   * redirect, garbage, an echo of the request, a huge body): in place of handling the request
   * ("before-commit", the default), or after it was handled (a createtimeentry WAS stored).
   */
  answerNext(
    count: number,
    answer: CannedAnswer,
    options?: { path?: string | RegExp; when?: CommitPoint },
  ): void;
  expireAllTokens(): void;
  /** The admin changes the API password: later logins need the new one; issued tokens stay valid. */
  setApiPassword(password: string): void;
  /** Skews the HTTP Date header by this many milliseconds. */
  setClockOffsetMs(ms: number): void;
  /** Removes failures, drops, odd answers, latency and clock skew (a changed password and expired tokens stay). */
  clear(): void;
}

/**
 * Path matching for faults: a RegExp is tested against the API path below the base path; a string
 * matches that path exactly or as its last segments, so "createtimeentry" and
 * "/api/time-v2.1/createtimeentry" both match "/api/time-v2.1/createtimeentry".
 */
export type PathMatcher = string | RegExp | undefined;

export function pathMatches(matcher: PathMatcher, path: string): boolean {
  if (matcher === undefined) return true;
  if (matcher instanceof RegExp) return matcher.test(path);
  if (path === matcher) return true;
  return path.endsWith(matcher.startsWith("/") ? matcher : `/${matcher}`);
}

interface Rule {
  remaining: number;
  path: PathMatcher;
}

interface FailureRule extends Rule {
  status: number;
  retryAfter: string | undefined;
  body: string | undefined;
}

interface DropRule extends Rule {
  when: CommitPoint;
}

interface AnswerRule extends Rule {
  when: CommitPoint;
  answer: CannedAnswer;
}

function requireCommitPoint(when: CommitPoint, what: string): void {
  if (when !== "before-commit" && when !== "after-commit") {
    throw new Error(`${what} when ${JSON.stringify(when)} must be before-commit or after-commit`);
  }
}

function requireCount(count: number, what: string): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`${what} count ${count} must be a whole number of at least 1`);
  }
}

function requireDelay(ms: number, what: string): void {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`${what} ${ms} must be a number of milliseconds, 0 or more`);
  }
}

export interface FaultHooks {
  expireAllTokens(): void;
  setApiPassword(password: string): void;
}

/** The faults of one simulator, consulted by the server for every API request. */
export class FaultInjector implements FaultControl {
  #latency: { minMs: number; maxMs: number } = { minMs: 0, maxMs: 0 };
  #failures: FailureRule[] = [];
  #drops: DropRule[] = [];
  #answers: AnswerRule[] = [];
  #clockOffsetMs = 0;
  readonly #hooks: FaultHooks;

  constructor(hooks: FaultHooks) {
    this.#hooks = hooks;
  }

  setLatency(ms: number | { minMs: number; maxMs: number }): void {
    const range = typeof ms === "number" ? { minMs: ms, maxMs: ms } : { ...ms };
    requireDelay(range.minMs, "latency minMs");
    requireDelay(range.maxMs, "latency maxMs");
    if (range.maxMs < range.minMs) {
      throw new Error(`latency maxMs ${range.maxMs} is below minMs ${range.minMs}`);
    }
    this.#latency = range;
  }

  failNext(
    count: number,
    status: number,
    options: { retryAfter?: string | number; path?: string | RegExp; body?: string } = {},
  ): void {
    requireCount(count, "failNext");
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new Error(`failNext status ${status} must be an HTTP error status from 400 to 599`);
    }
    this.#failures.push({
      remaining: count,
      status,
      path: options.path,
      retryAfter: options.retryAfter === undefined ? undefined : String(options.retryAfter),
      body: options.body,
    });
  }

  dropNext(count: number, when: CommitPoint, options: { path?: string | RegExp } = {}): void {
    requireCount(count, "dropNext");
    requireCommitPoint(when, "dropNext");
    this.#drops.push({ remaining: count, when, path: options.path });
  }

  answerNext(
    count: number,
    answer: CannedAnswer,
    options: { path?: string | RegExp; when?: CommitPoint } = {},
  ): void {
    requireCount(count, "answerNext");
    checkCannedAnswer(answer);
    const when = options.when ?? "before-commit";
    requireCommitPoint(when, "answerNext");
    this.#answers.push({ remaining: count, when, path: options.path, answer: { ...answer } });
  }

  expireAllTokens(): void {
    this.#hooks.expireAllTokens();
  }

  setApiPassword(password: string): void {
    if (password.length === 0) throw new Error("setApiPassword needs a non-empty password");
    this.#hooks.setApiPassword(password);
  }

  setClockOffsetMs(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`clock offset ${ms} must be a finite number`);
    this.#clockOffsetMs = ms;
  }

  clear(): void {
    this.#latency = { minMs: 0, maxMs: 0 };
    this.#failures = [];
    this.#drops = [];
    this.#answers = [];
    this.#clockOffsetMs = 0;
  }

  get clockOffsetMs(): number {
    return this.#clockOffsetMs;
  }

  nextLatencyMs(): number {
    const { minMs, maxMs } = this.#latency;
    return minMs + Math.random() * (maxMs - minMs);
  }

  /** The injected answer for this request, if a failure rule matches; uses up one of its count. */
  takeFailure(path: string): Reply | undefined {
    const rule = take(this.#failures, path);
    if (!rule) return undefined;
    const headers: Record<string, string> = rule.retryAfter
      ? { "Retry-After": rule.retryAfter }
      : {};
    if (rule.body === undefined) {
      return errorReply(rule.status, `simulated failure: status ${rule.status}`, headers);
    }
    return {
      status: rule.status,
      headers: { "Content-Type": "text/plain", ...headers },
      body: rule.body,
    };
  }

  takeDrop(when: CommitPoint, path: string): boolean {
    return take(this.#drops, path, (rule) => rule.when === when) !== undefined;
  }

  /** The odd answer to give this request at this point, if a rule matches; uses up one. */
  takeAnswer(when: CommitPoint, path: string): CannedAnswer | undefined {
    return take(this.#answers, path, (rule) => rule.when === when)?.answer;
  }
}

/** Finds the first rule that applies, in the order they were set, and uses up one of its count. */
function take<T extends Rule>(
  rules: T[],
  path: string,
  applies: (rule: T) => boolean = () => true,
): T | undefined {
  const rule = rules.find((r) => r.remaining > 0 && applies(r) && pathMatches(r.path, path));
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining === 0) rules.splice(rules.indexOf(rule), 1);
  return rule;
}
