import type * as z from "zod";
import { type Clock, systemClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { SecretScrubber } from "../core/secrets.js";
import { type CallKind, errorForStatus, errorForUnusable, isWebPage } from "./classify.js";
import { cleanedError, GoodTimeError } from "./errors.js";
import { extractLoginToken, type LoginToken } from "./login-token.js";
import { formatInstant, parseInstant } from "./time-format.js";
import { type Method, type Request, Transport } from "./transport.js";
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
  /**
   * Hides the password and every token received in every spelling; shared with the logger so
   * that its lines are scrubbed too. Default: one of the client's own.
   */
  secrets?: SecretScrubber;
}

interface Call extends Request {
  authed: boolean;
  /** Whether it names a user or an entry that the service may say does not exist (404). */
  namesSubject: boolean;
}

const READ = { method: "GET", kind: "read", namesSubject: false } as const;
const WRITE = { kind: "write", namesSubject: true, authed: true } as const;
/** Log in again this long before the token's `exp`, so no call races the expiry. */
const EXPIRY_MARGIN_MS = 30_000;

/** The GoodTime REST API. One instance per terminal; it keeps the token in memory only. */
export class GoodTimeClient {
  readonly #options: GoodTimeClientOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #transport: Transport;
  readonly #secrets: SecretScrubber;
  #token: LoginToken | undefined;
  #loggingIn: Promise<string> | undefined;

  constructor(options: GoodTimeClientOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
    this.#logger = options.logger.child({ part: "goodtime" });
    this.#clock = options.clock ?? systemClock;
    this.#secrets = options.secrets ?? new SecretScrubber();
    this.#secrets.setPassword(options.apiPassword);
    this.#transport = new Transport({
      baseUrl: this.#options.baseUrl,
      timeoutMs: options.timeoutMs,
      authHeader: options.authHeader,
      authScheme: options.authScheme,
      logger: this.#logger,
      clock: this.#clock,
      scrub: (text) => this.#scrub(text),
      onServerDate: options.onServerDate,
    });
  }

  async hello(): Promise<string> {
    const path = "/api/hello/sayhello";
    return (await this.#call({ ...READ, path, authed: false })).trim();
  }

  /** Logs in if needed, then proves the token is accepted. */
  async securedHello(): Promise<string> {
    const path = "/api/hello/securedSayhello";
    return (await this.#call({ ...READ, path, authed: true })).trim();
  }

  /** Logs in now, replacing any token held. */
  async login(): Promise<void> {
    await this.#guarded(() => this.#sharedLogin());
  }

  /**
   * Logs in unless a token is held that is not about to expire. Called before a write is marked
   * as sent, so that a login that fails (a portal, a wrong address) leaves no entry in doubt.
   */
  async loggedIn(): Promise<void> {
    await this.#guarded(() => this.#validToken());
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
    if (userEmail === undefined) return this.#getJson(this.#timePath("projects"), namedListSchema);
    const path = this.#timePath(`projects/${encodeURIComponent(userEmail)}`);
    return this.#getJson(path, namedListSchema, { namesSubject: true });
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
      const entries = await this.#getJson(path, entryListV11Schema, {
        searchParams,
        namesSubject: true,
      });
      return entries.map((entry) => ({
        id: entry.id,
        start: this.#parse(entry.starttime, endpoint),
        end: this.#parse(entry.endtime, endpoint),
        userEmail: entry.useremail,
        timeTypeId: entry.timeTypeId,
        projectId: entry.projectid ?? null,
      }));
    }
    const entries = await this.#getJson(path, entryListV21Schema, {
      searchParams,
      namesSubject: true,
    });
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
    const body = await this.#call({ ...WRITE, method: "POST", path, json });
    const created = this.#decode(body, this.#endpoint("POST", path), "write", createdSchema);
    // Debug, not info: every caller reports the booking in its own words (the sync's "entry
    // booked" line names the local entry too), and a second line per booking costs a drain CPU.
    this.#logger.debug({ entryId: created.id, userEmail: entry.userEmail }, "time entry created");
    return { id: created.id };
  }

  async deleteTimeEntry(id: string): Promise<void> {
    const path = this.#timePath(`deletetimeentry/${encodeURIComponent(id)}`);
    await this.#call({ ...WRITE, method: "DELETE", path });
    this.#logger.info({ entryId: id }, "time entry deleted");
  }

  /** Closes kept-alive connections; the client stays usable and reconnects when called. */
  close(): void {
    this.#transport.close();
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
      throw errorForUnusable(endpoint, "read", (error as Error).message, "GT_BAD_RESPONSE");
    }
  }

  async #getJson<T extends z.ZodType>(
    path: string,
    schema: T,
    options: { searchParams?: Record<string, string>; namesSubject?: boolean } = {},
  ): Promise<z.output<T>> {
    const body = await this.#call({
      ...READ,
      path,
      authed: true,
      namesSubject: options.namesSubject ?? false,
      ...(options.searchParams ? { searchParams: options.searchParams } : {}),
    });
    return this.#decode(body, this.#endpoint("GET", path), "read", schema);
  }

  #decode<T extends z.ZodType>(
    body: string,
    endpoint: string,
    call: CallKind,
    schema: T,
  ): z.output<T> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      // Scrubbed before it is cut, so that no secret is cut in two and half of it kept.
      const start = this.#scrub(body.trim()).slice(0, 60);
      throw errorForUnusable(
        endpoint,
        call,
        `the answer is not JSON (it starts ${JSON.stringify(start)})`,
        "GT_BAD_RESPONSE",
      );
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? issue.path.join(".") : "the answer";
      const problem = `${where}: ${issue?.message ?? "unexpected shape"}`;
      throw errorForUnusable(endpoint, call, problem, "GT_BAD_RESPONSE");
    }
    return result.data;
  }

  /** One call, with the token if needed; on 401 it logs in again once and repeats the call. */
  async #call(call: Call): Promise<string> {
    return this.#guarded(async () => {
      const endpoint = this.#endpoint(call.method, call.path);
      const used = call.authed ? await this.#validToken() : undefined;
      let answer = await this.#transport.exchange(call, endpoint, used);
      if (answer.status === 401 && used !== undefined) {
        this.#logger.info({ endpoint }, "GoodTime refused the token; logging in again");
        answer = await this.#transport.exchange(
          call,
          endpoint,
          await this.#freshTokenReplacing(used),
        );
      }
      if (answer.status < 200 || answer.status >= 300) {
        throw errorForStatus(answer, this.#statusContext(endpoint, call));
      }
      if (isWebPage(answer)) throw notApi(endpoint, call.kind, answer.status);
      return answer.body;
    });
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
    const call: Call = {
      method: "POST",
      path,
      json,
      authed: false,
      kind: "login",
      namesSubject: false,
    };
    const answer = await this.#transport.exchange(call, endpoint, undefined);
    if (answer.status < 200 || answer.status >= 300) {
      throw errorForStatus(answer, this.#statusContext(endpoint, call));
    }
    if (isWebPage(answer)) throw notApi(endpoint, "login", answer.status);
    const extracted = extractLoginToken(answer.body);
    if ("problem" in extracted) {
      throw errorForUnusable(endpoint, "login", extracted.problem, "GT_BAD_RESPONSE");
    }
    this.#secrets.addToken(extracted.token);
    this.#token = extracted;
    this.#logger.info(
      { loginEmail, expiresAt: extracted.expiresAt?.toISOString() ?? null },
      "logged in to GoodTime",
    );
    return extracted.token;
  }

  #statusContext(endpoint: string, call: Call) {
    return {
      endpoint,
      call: call.kind,
      namesSubject: call.namesSubject,
      loginEmail: this.#options.loginEmail,
      now: this.#clock.now(),
    };
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
    return this.#secrets.scrub(text);
  }
}

/** A 2xx web page where the API should answer: a captive portal, a proxy, a website. */
function notApi(endpoint: string, call: CallKind, status: number): GoodTimeError {
  return errorForUnusable(
    endpoint,
    call,
    `a web page (${status}) instead of the API: a captive portal or proxy login on this network, or server.baseUrl names a website`,
    "GT_NOT_API",
  );
}
