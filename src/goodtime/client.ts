import http from "node:http";
import https from "node:https";
import got, { type Got, RequestError, TimeoutError } from "got";
import type { z } from "zod";
import { type Clock, systemClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { errorForStatus, errorForTransport, type HttpAnswer } from "./classify.js";
import { cleanedError, GoodTimeError } from "./errors.js";
import { extractLoginToken, type LoginToken } from "./login-token.js";
import { formatInstant, parseInstant } from "./time-format.js";
import {
  createdSchema,
  defaultTimeTypeField,
  entryListV11Schema,
  entryListV21Schema,
  type GoodTimeUser,
  type NewTimeEntry,
  namedListSchema,
  type Project,
  type TimeEntry,
  type TimeType,
  type TimeTypeField,
  userListSchema,
} from "./types.js";

export type { GoodTimeUser, NewTimeEntry, Project, TimeEntry, TimeType } from "./types.js";

export interface GoodTimeClientOptions {
  baseUrl: string;
  apiVersion: "v2.1" | "v1.1";
  /** Name of createtimeentry's time type field; default: the version's (see defaultTimeTypeField). */
  timeTypeField?: TimeTypeField;
  loginEmail: string;
  apiPassword: string;
  /** Header that carries the token, e.g. "Authorization". */
  authHeader: string;
  /** Word before the token, e.g. "Bearer"; "" sends the bare token. */
  authScheme: string;
  /** "iso-offset" | "iso-local" | "epoch-ms" | a luxon pattern. */
  timeFormat: string;
  /** IANA zone local times are written and read in. */
  timeZone: string;
  timeoutMs: number;
  logger: Logger;
  /** Called with each response's Date header and the local time it arrived (server clock check). */
  onServerDate?: (serverDate: Date, localDate: Date) => void;
  /** Source of "now" for token expiry, Retry-After dates and onServerDate; default the system clock. */
  clock?: Clock;
}

type Method = "GET" | "POST" | "DELETE";

interface Call {
  method: Method;
  path: string;
  searchParams?: Record<string, string>;
  json?: unknown;
  authed: boolean;
  /** False for calls that change data, whose outcome is unknown once the body has been sent. */
  idempotent: boolean;
}

const USER_AGENT = "timeclock (GoodTime badge terminal)";
/** Log in again this long before the token's `exp`, so no call races the expiry. */
const EXPIRY_MARGIN_MS = 30_000;
/**
 * A kept-alive connection idle this long is closed by the agent. Servers close idle connections
 * after a few seconds and NAT routers forget them silently; a create sent on such a dead
 * connection would end ambiguous, so only fresh connections are reused.
 */
const IDLE_SOCKET_MS = 4000;

/** The GoodTime REST API. One instance per terminal; it keeps the token in memory only. */
export class GoodTimeClient {
  readonly #options: GoodTimeClientOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #agents = {
    http: new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
    https: new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  };
  readonly #got: Got;
  #token: LoginToken | undefined;
  #loggingIn: Promise<string> | undefined;

  constructor(options: GoodTimeClientOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
    this.#logger = options.logger.child({ part: "goodtime" });
    this.#clock = options.clock ?? systemClock;
    // The sync owns retries, so got never retries on its own; redirects would hide a moved service.
    this.#got = got.extend({
      retry: { limit: 0 },
      timeout: { request: options.timeoutMs },
      agent: this.#agents,
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      headers: { "user-agent": USER_AGENT, accept: "application/json, text/plain;q=0.9" },
    });
  }

  async hello(): Promise<string> {
    const path = "/api/hello/sayhello";
    return (await this.#call({ method: "GET", path, authed: false, idempotent: true })).trim();
  }

  /** Logs in if needed, then proves the token is accepted. */
  async securedHello(): Promise<string> {
    const path = "/api/hello/securedSayhello";
    return (await this.#call({ method: "GET", path, authed: true, idempotent: true })).trim();
  }

  /** Logs in now, replacing any token held. */
  async login(): Promise<void> {
    await this.#guarded(() => this.#sharedLogin());
  }

  async timeTypes(): Promise<TimeType[]> {
    const name = this.#options.apiVersion === "v2.1" ? "timetypes" : "timecategories";
    return this.#getJson(this.#timePath(name), namedListSchema);
  }

  async users(): Promise<GoodTimeUser[]> {
    const users = await this.#getJson(this.#timePath("users"), userListSchema);
    return users.map((user) => ({ loginEmail: user.loginemail }));
  }

  /** All projects, or those assigned to one user. */
  async projects(userEmail?: string): Promise<Project[]> {
    const path =
      userEmail === undefined
        ? this.#timePath("projects")
        : this.#timePath(`projects/${encodeURIComponent(userEmail)}`);
    return this.#getJson(path, namedListSchema);
  }

  /** Entries of one user whose start lies in [from, to). */
  async timeEntries(query: { userEmail: string; from: Date; to: Date }): Promise<TimeEntry[]> {
    const path = this.#timePath("timeentries");
    const searchParams = {
      useremail: query.userEmail,
      start: this.#format(query.from),
      end: this.#format(query.to),
    };
    const endpoint = this.#endpoint("GET", path);
    if (this.#options.apiVersion === "v1.1") {
      const entries = await this.#getJson(path, entryListV11Schema, searchParams);
      return entries.map((entry) => ({
        id: entry.id,
        start: this.#parse(entry.starttime, endpoint),
        end: this.#parse(entry.endtime, endpoint),
        userEmail: entry.useremail,
        timeTypeId: entry.timeTypeId,
        projectId: entry.projectid ?? null,
      }));
    }
    const entries = await this.#getJson(path, entryListV21Schema, searchParams);
    return entries.map((entry) => ({
      id: entry.id,
      start: this.#parse(entry.starttime, endpoint),
      end: this.#parse(entry.endtime, endpoint),
      userEmail: entry.useremail,
      timeTypeId: entry.timetypeid,
      projectId: entry.projectid ?? null,
      ...(entry.comment == null ? {} : { comment: entry.comment }),
      ...(entry.locked === undefined ? {} : { locked: entry.locked }),
    }));
  }

  /** Books one entry. A timeout or broken connection after sending is an "ambiguous" error. */
  async createTimeEntry(entry: NewTimeEntry): Promise<{ id: string }> {
    const { apiVersion, timeTypeField } = this.#options;
    const v21 = apiVersion === "v2.1";
    const json = {
      starttime: this.#format(entry.start),
      endtime: this.#format(entry.end),
      useremail: entry.userEmail,
      [timeTypeField ?? defaultTimeTypeField(apiVersion)]: entry.timeTypeId,
      projectid: entry.projectId,
      ...(v21 && entry.comment !== undefined ? { comment: entry.comment } : {}),
    };
    const path = this.#timePath("createtimeentry");
    const body = await this.#call({ method: "POST", path, json, authed: true, idempotent: false });
    const created = this.#decode(body, this.#endpoint("POST", path), createdSchema);
    this.#logger.info({ entryId: created.id, userEmail: entry.userEmail }, "time entry created");
    return { id: created.id };
  }

  async deleteTimeEntry(id: string): Promise<void> {
    const path = this.#timePath(`deletetimeentry/${encodeURIComponent(id)}`);
    await this.#call({ method: "DELETE", path, authed: true, idempotent: false });
    this.#logger.info({ entryId: id }, "time entry deleted");
  }

  /** Closes kept-alive connections; the client stays usable and reconnects when called. */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  #timePath(name: string): string {
    const prefix = this.#options.apiVersion === "v2.1" ? "/api/time-v2.1" : "/api/time";
    return `${prefix}/${name}`;
  }

  #endpoint(method: Method, path: string): string {
    return `${method} ${new URL(this.#options.baseUrl + path).pathname}`;
  }

  #format(date: Date): string {
    return formatInstant(date, this.#options.timeFormat, this.#options.timeZone);
  }

  #parse(text: string, endpoint: string): Date {
    try {
      return parseInstant(text, this.#options.timeFormat, this.#options.timeZone);
    } catch (error) {
      throw badResponse(endpoint, (error as Error).message);
    }
  }

  async #getJson<T extends z.ZodType>(
    path: string,
    schema: T,
    searchParams?: Record<string, string>,
  ): Promise<z.output<T>> {
    const body = await this.#call({
      method: "GET",
      path,
      authed: true,
      idempotent: true,
      ...(searchParams ? { searchParams } : {}),
    });
    return this.#decode(body, this.#endpoint("GET", path), schema);
  }

  #decode<T extends z.ZodType>(body: string, endpoint: string, schema: T): z.output<T> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      const start = this.#scrub(body.trim().slice(0, 60));
      throw badResponse(endpoint, `the answer is not JSON (it starts ${JSON.stringify(start)})`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? issue.path.join(".") : "the answer";
      throw badResponse(endpoint, `${where}: ${issue?.message ?? "unexpected shape"}`);
    }
    return result.data;
  }

  /** One call, with the token if needed; on 401 it logs in again once and repeats the call. */
  async #call(call: Call): Promise<string> {
    return this.#guarded(async () => {
      const endpoint = this.#endpoint(call.method, call.path);
      const used = call.authed ? await this.#validToken() : undefined;
      let answer = await this.#exchange(call, endpoint, used);
      if (answer.status === 401 && used !== undefined) {
        this.#logger.info({ endpoint }, "GoodTime refused the token; logging in again");
        answer = await this.#exchange(call, endpoint, await this.#freshTokenReplacing(used));
      }
      if (answer.status < 200 || answer.status >= 300) {
        throw errorForStatus(answer, this.#statusContext(endpoint, false));
      }
      return answer.body;
    });
  }

  async #exchange(call: Call, endpoint: string, token: string | undefined): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    if (token !== undefined) {
      const { authHeader, authScheme } = this.#options;
      headers[authHeader.toLowerCase()] = authScheme ? `${authScheme} ${token}` : token;
    }
    try {
      const response = await this.#got(this.#options.baseUrl + call.path, {
        method: call.method,
        headers,
        ...(call.json === undefined ? {} : { json: call.json }),
        ...(call.searchParams ? { searchParams: call.searchParams } : {}),
      });
      this.#reportServerDate(response.headers.date);
      const status = response.statusCode;
      this.#logger.debug({ endpoint, status }, "GoodTime answered");
      const ok = status >= 200 && status < 300;
      return {
        status,
        // Error bodies end up in messages; a server echoing credentials must not leak them.
        body: ok ? response.body : this.#scrub(response.body),
        retryAfter: response.headers["retry-after"],
        location: response.headers.location,
      };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      this.#logger.debug({ endpoint, code: error.code }, "GoodTime request failed");
      throw errorForTransport(
        {
          code: error.code,
          message: this.#scrub(error.message),
          timedOut: error instanceof TimeoutError,
          // got's timer sets `upload` on the request's "finish" event: the body was handed to the OS.
          bodySent: error.timings?.upload !== undefined,
          timeoutMs: this.#options.timeoutMs,
        },
        endpoint,
        call.idempotent,
      );
    }
  }

  async #validToken(): Promise<string> {
    const held = this.#token;
    const now = this.#clock.now().getTime();
    if (held && (!held.expiresAt || held.expiresAt.getTime() - EXPIRY_MARGIN_MS > now)) {
      return held.token;
    }
    return this.#sharedLogin();
  }

  /** A token other than `stale`: the one another call already fetched, or a new login. */
  async #freshTokenReplacing(stale: string): Promise<string> {
    if (this.#token && this.#token.token !== stale) return this.#token.token;
    this.#token = undefined;
    return this.#sharedLogin();
  }

  /** Concurrent callers share one login request. */
  #sharedLogin(): Promise<string> {
    this.#loggingIn ??= this.#login().finally(() => {
      this.#loggingIn = undefined;
    });
    return this.#loggingIn;
  }

  async #login(): Promise<string> {
    const path = "/api/login";
    const endpoint = this.#endpoint("POST", path);
    const { loginEmail, apiPassword } = this.#options;
    const json = { loginemail: loginEmail, apipassword: apiPassword };
    // Repeating a login is harmless, so a lost answer is retryable rather than ambiguous.
    const call: Call = { method: "POST", path, json, authed: false, idempotent: true };
    const answer = await this.#exchange(call, endpoint, undefined);
    if (answer.status < 200 || answer.status >= 300) {
      throw errorForStatus(answer, this.#statusContext(endpoint, true));
    }
    const extracted = extractLoginToken(answer.body);
    if ("problem" in extracted) {
      throw badResponse(endpoint, `${extracted.problem}; check server.baseUrl`);
    }
    this.#token = extracted;
    this.#logger.info(
      { loginEmail, expiresAt: extracted.expiresAt?.toISOString() ?? null },
      "logged in to GoodTime",
    );
    return extracted.token;
  }

  #statusContext(endpoint: string, login: boolean) {
    return { endpoint, login, loginEmail: this.#options.loginEmail, now: this.#clock.now() };
  }

  #reportServerDate(header: string | undefined): void {
    const onServerDate = this.#options.onServerDate;
    if (!onServerDate || !header) return;
    const serverMs = Date.parse(header);
    if (Number.isNaN(serverMs)) return;
    try {
      onServerDate(new Date(serverMs), this.#clock.now());
    } catch (error) {
      this.#logger.warn({ err: error }, "the server clock check failed");
    }
  }

  /** Runs `work` and makes sure no error leaving the client carries the password or token. */
  async #guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof GoodTimeError)) throw error;
      throw cleanedError(error, (text) => this.#scrub(text));
    }
  }

  #scrub(text: string): string {
    let clean = text;
    for (const secret of [this.#options.apiPassword, this.#token?.token]) {
      if (secret) clean = clean.split(secret).join("[redacted]");
    }
    return clean;
  }
}

function badResponse(endpoint: string, problem: string): GoodTimeError {
  return new GoodTimeError(
    `GoodTime answered ${endpoint} with something the terminal cannot use: ${problem}.`,
    { endpoint, kind: "refused", code: "GT_BAD_RESPONSE" },
  );
}
