import type { IncomingHttpHeaders } from "node:http";
import type { TokenAuthority } from "./auth.js";
import {
  type ApiVersion,
  parseEntryRequest,
  type TimeTypeField,
  timeTypeField,
} from "./entry-request.js";
import { ApiError, emptyReply, jsonReply, quote, type Reply, textReply } from "./reply.js";
import type { SimulatorAccount, SimulatorEntry } from "./state.js";
import type { TimeCodec } from "./time-format.js";

/** The GoodTime REST endpoints of both versions, as routes below the base path. */

export type LoginResponseForm = "text" | "json-string" | "json-object";

export interface ApiRequest {
  params: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ApiRoute {
  pattern: RegExp;
  method: "GET" | "POST" | "DELETE";
  /** Whether the route needs a login token. */
  secured: boolean;
  handle(request: ApiRequest): Reply;
}

export interface ApiDependencies {
  state: SimulatorAccount;
  tokens: TokenAuthority;
  codec: TimeCodec;
  loginResponse: LoginResponseForm;
  /** The name v1.1's createtimeentry takes for the time type, and its entry list writes. */
  v11TimeTypeField: TimeTypeField;
}

const VERSION_PREFIXES: Record<ApiVersion, string> = {
  "v2.1": "/api/time-v2.1",
  "v1.1": "/api/time",
};

/** The body as a JSON object; the content type must say JSON, as a JAX-RS service insists. */
function jsonObject(request: ApiRequest, what: string): Record<string, unknown> {
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(
      415,
      `${what} needs Content-Type: application/json, not ${quote(type || "(none)")}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch (error) {
    throw new ApiError(400, `the ${what} body is not valid JSON: ${(error as Error).message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError(400, `the ${what} body must be a JSON object, not ${quote(body)}`);
  }
  return body as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, field: string, what: string): string {
  const value = body[field];
  if (value === undefined || value === null) {
    throw new ApiError(400, `${field} is missing; ${what} needs it`);
  }
  if (typeof value !== "string" || value === "") {
    throw new ApiError(
      400,
      `${field} must be a non-empty string, not ${quote(typeof value === "string" ? value : typeof value)}`,
    );
  }
  return value;
}

function rejectUnknownKeys(keys: Iterable<string>, allowed: readonly string[], what: string) {
  for (const key of keys) {
    if (!allowed.includes(key)) {
      throw new ApiError(400, `unknown ${what} ${quote(key)}; allowed: ${allowed.join(", ")}`);
    }
  }
}

function login(deps: ApiDependencies, request: ApiRequest): Reply {
  const body = jsonObject(request, "login");
  rejectUnknownKeys(Object.keys(body), ["loginemail", "apipassword"], "login field");
  const loginEmail = stringField(body, "loginemail", "login");
  const apiPassword = stringField(body, "apipassword", "login");
  if (!deps.state.checkLogin(loginEmail, apiPassword)) {
    deps.state.count("loginFailures");
    throw new ApiError(
      401,
      `login refused for loginemail ${quote(loginEmail)}: the login email or the API password is wrong; the admin sets the API password in Settings, tab Security`,
    );
  }
  deps.state.count("logins");
  const token = deps.tokens.issue(loginEmail);
  if (deps.loginResponse === "text") return textReply(200, token);
  if (deps.loginResponse === "json-string") return jsonReply(200, token);
  return jsonReply(200, { token });
}

function queryTime(deps: ApiDependencies, query: URLSearchParams, name: string): Date {
  const parsed = deps.codec.parse(query.get(name));
  if (!parsed.ok) throw new ApiError(400, `query parameter ${name} ${parsed.problem}`);
  return parsed.instant;
}

function renderEntry(deps: ApiDependencies, entry: SimulatorEntry, version: ApiVersion) {
  const common = {
    id: entry.id,
    starttime: deps.codec.render(entry.start),
    endtime: deps.codec.render(entry.end),
    useremail: entry.userEmail,
    [timeTypeField(version, deps.v11TimeTypeField)]: entry.timeTypeId,
    projectid: entry.projectId,
  };
  if (version === "v1.1") return common;
  const withComment = { ...common, comment: entry.comment };
  return deps.state.lockableEntries ? { ...withComment, locked: entry.locked } : withComment;
}

function timeEntries(deps: ApiDependencies, request: ApiRequest, version: ApiVersion): Reply {
  const names = ["useremail", "start", "end"];
  rejectUnknownKeys(request.query.keys(), names, "query parameter");
  for (const name of names) {
    if (request.query.getAll(name).length > 1) {
      throw new ApiError(400, `query parameter ${name} is given more than once; give it once`);
    }
    if (!request.query.get(name)) {
      throw new ApiError(
        400,
        `query parameter ${name} is missing; timeentries needs useremail, start and end (${deps.codec.description})`,
      );
    }
  }
  const userEmail = request.query.get("useremail") ?? "";
  const start = queryTime(deps, request.query, "start");
  const end = queryTime(deps, request.query, "end");
  if (end.getTime() <= start.getTime()) {
    throw new ApiError(
      400,
      `query parameter end ${quote(request.query.get("end"))} is not after start ${quote(request.query.get("start"))}`,
    );
  }
  deps.state.requireUser(userEmail, 404, "useremail");
  const entries = deps.state.entriesOf(userEmail, start, end);
  return jsonReply(
    200,
    entries.map((entry) => renderEntry(deps, entry, version)),
  );
}

function versionRoutes(deps: ApiDependencies, version: ApiVersion): ApiRoute[] {
  const prefix = VERSION_PREFIXES[version].replace(/[.]/g, "\\.");
  const at = (path: string) => new RegExp(`^${prefix}${path}$`);
  const typesPath = version === "v2.1" ? "/timetypes" : "/timecategories";
  const { state } = deps;
  return [
    {
      pattern: at(typesPath),
      method: "GET",
      secured: true,
      handle: () => jsonReply(200, state.timeTypes()),
    },
    {
      pattern: at("/users"),
      method: "GET",
      secured: true,
      handle: () =>
        jsonReply(
          200,
          state.users().map((u) => ({ loginemail: u.loginEmail })),
        ),
    },
    {
      pattern: at("/projects"),
      method: "GET",
      secured: true,
      handle: () =>
        jsonReply(
          200,
          state.projects().map(({ id, name }) => ({ id, name })),
        ),
    },
    {
      pattern: at("/projects/([^/]+)"),
      method: "GET",
      secured: true,
      handle: ({ params: [email = ""] }) => {
        state.requireUser(email, 404, "useremail");
        return jsonReply(200, state.projectsOf(email));
      },
    },
    {
      pattern: at("/timeentries"),
      method: "GET",
      secured: true,
      handle: (request) => timeEntries(deps, request, version),
    },
    {
      pattern: at("/createtimeentry"),
      method: "POST",
      secured: true,
      handle: (request) => {
        const body = jsonObject(request, "createtimeentry");
        const typeField = timeTypeField(version, deps.v11TimeTypeField);
        const wanted = parseEntryRequest(body, version, deps.codec, typeField);
        const entry = state.createEntry(wanted, version, typeField);
        return jsonReply(200, [{ id: entry.id }]);
      },
    },
    {
      pattern: at("/deletetimeentry/([^/]+)"),
      method: "DELETE",
      secured: true,
      handle: ({ params: [id = ""] }) => {
        state.deleteEntry(id);
        return emptyReply();
      },
    },
  ];
}

export function apiRoutes(deps: ApiDependencies): ApiRoute[] {
  return [
    {
      pattern: /^\/api\/hello\/sayhello$/,
      method: "GET",
      secured: false,
      handle: () => textReply(200, "Hello!"),
    },
    {
      pattern: /^\/api\/hello\/securedSayhello$/,
      method: "GET",
      secured: true,
      handle: () => textReply(200, "Secured Hello!"),
    },
    { pattern: /^\/api\/login$/, method: "POST", secured: false, handle: (r) => login(deps, r) },
    ...versionRoutes(deps, "v2.1"),
    ...versionRoutes(deps, "v1.1"),
  ];
}
