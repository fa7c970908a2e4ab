import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { silentLogger } from "../core/logger.js";
import { apiRoutes, type LoginResponseForm } from "./api.js";
import { TokenAuthority } from "./auth.js";
import { ControlRoutes } from "./control.js";
import { TIME_TYPE_FIELDS, type TimeTypeField } from "./entry-request.js";
import { type FaultControl, FaultInjector } from "./faults.js";
import { loadStateFile, saveStateFile } from "./persistence.js";
import { resolveSeed, type SimulatorSeed } from "./seed.js";
import { SimulatorServer } from "./server.js";
import { SimulatorAccount, type SimulatorState } from "./state.js";
import { createTimeCodec } from "./time-format.js";

/**
 * A GoodTime REST service on loopback, as strict as the real one plausibly is (the project's
 * GoodTime API page says what is known and what is assumed). Its answers, by kind:
 * - 400 a body, field, query parameter or time that does not fit the contract (the field is named);
 * - 401 no, a malformed, foreign or expired token, or a wrong login;
 * - 404 an unknown path, user (in a path or query) or entry id; 405 a wrong method (with Allow);
 * - 409 an overlapping entry ("overlapping time entry") or a locked period;
 * - 413 a body over 64 KiB; 415 a body not sent as application/json;
 * - 422 an entry refused for its content: unknown user, time type or project, a project not
 *   assigned to the user, an end not after the start.
 * Every error is `{"error": message}`. Entries are stored in UTC, whole minutes.
 * Faults (in-process through `faults`, or POST {basePath}/_sim/faults) add what a network adds:
 * failures, dropped connections, latency, a skewed Date header, and answers no GoodTime gives
 * (a captive portal page, a redirect, garbage, an echo of the request, a huge body).
 */

export type { LoginResponseForm } from "./api.js";
export type { CannedAnswer, CannedKind, EchoEncoding } from "./canned.js";
export type { CommitPoint, FaultControl } from "./faults.js";
export * from "./seed.js";
export type {
  RequestRecord,
  SimulatorCounters,
  SimulatorEntry,
  SimulatorProject,
  SimulatorState,
} from "./state.js";

export interface SimulatorOptions {
  /** Interface to listen on. Default: "127.0.0.1". */
  host?: string;
  /** TCP port; 0 picks a free one. Default: 0. */
  port?: number;
  /** Path every API path is appended to. Default: "/goodtime-rs". */
  basePath?: string;
  /** The account to start with. Default: "company". */
  seed?: "company" | "empty" | SimulatorSeed;
  /** JSON file loaded at start if present (it wins over the seed) and rewritten after every change. */
  stateFile?: string;
  /** Seconds a login token stays valid. Default: 3600. */
  tokenLifetimeSeconds?: number;
  /** Header carrying the token. Default: "Authorization". */
  authHeader?: string;
  /** Word before the token; "" for the bare token. Default: "Bearer". */
  authScheme?: string;
  /** Login answer: plain text, a JSON string, or {"token": ...}. Default: "json-object". */
  loginResponse?: LoginResponseForm;
  /** "iso-offset" (default), "iso-local", "epoch-ms" or a luxon pattern. */
  timeFormat?: string;
  /** IANA zone for iso-local, patterns and rendering. Default: "Europe/Berlin". */
  timeZone?: string;
  /**
   * The one name v1.1's createtimeentry takes for the time type (the other is refused with 400),
   * and its entry list writes; the vendor does not document it. Default: "timecategoryid".
   */
  v11TimeTypeField?: TimeTypeField;
  /** Clock for token expiry and the Date header. Default: real time. */
  now?: () => Date;
  /** Default: silent. */
  logger?: Logger;
}

export interface Simulator {
  /** Base URL to give a client, e.g. "http://127.0.0.1:41234/goodtime-rs". */
  readonly url: string;
  readonly port: number;
  readonly state: SimulatorState;
  readonly faults: FaultControl;
  /** Stops listening and ends open connections; calling it again returns the same promise. */
  close(): Promise<void>;
}

const LOGIN_FORMS: readonly LoginResponseForm[] = ["text", "json-string", "json-object"];

function checkOptions(options: SimulatorOptions): void {
  const { basePath, tokenLifetimeSeconds, authHeader, authScheme, loginResponse } = options;
  const { v11TimeTypeField } = options;
  if (v11TimeTypeField !== undefined && !TIME_TYPE_FIELDS.includes(v11TimeTypeField)) {
    throw new Error(
      `v11TimeTypeField ${JSON.stringify(v11TimeTypeField)} must be one of ${TIME_TYPE_FIELDS.join(", ")}`,
    );
  }
  if (basePath !== undefined && basePath !== "" && !/^\/[^?#]*[^/?#]$/.test(basePath)) {
    throw new Error(
      `basePath ${JSON.stringify(basePath)} must start with "/" and not end with one, e.g. "/goodtime-rs" (or "" for none)`,
    );
  }
  if (
    tokenLifetimeSeconds !== undefined &&
    (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1)
  ) {
    throw new Error(
      `tokenLifetimeSeconds ${tokenLifetimeSeconds} must be a whole number, 1 or more`,
    );
  }
  if (authHeader !== undefined && !/^[A-Za-z0-9-]+$/.test(authHeader)) {
    throw new Error(`authHeader ${JSON.stringify(authHeader)} must be an HTTP header name`);
  }
  if (authScheme !== undefined && !/^[A-Za-z0-9-]*$/.test(authScheme)) {
    throw new Error(`authScheme ${JSON.stringify(authScheme)} must be one word, or "" for none`);
  }
  if (loginResponse !== undefined && !LOGIN_FORMS.includes(loginResponse)) {
    throw new Error(
      `loginResponse ${JSON.stringify(loginResponse)} must be one of ${LOGIN_FORMS.join(", ")}`,
    );
  }
}

function openState(options: SimulatorOptions): SimulatorAccount {
  const { stateFile } = options;
  if (stateFile === undefined) return SimulatorAccount.fromSeed(resolveSeed(options.seed));
  const save = () => saveStateFile(stateFile, state.toPersisted());
  const saved = loadStateFile(stateFile);
  const state = saved
    ? SimulatorAccount.fromPersisted(saved, save)
    : SimulatorAccount.fromSeed(resolveSeed(options.seed), save);
  save();
  return state;
}

/** Starts a GoodTime simulator on loopback; independent of any other in the same process. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  checkOptions(options);
  const host = options.host ?? "127.0.0.1";
  const basePath = options.basePath ?? "/goodtime-rs";
  const now = options.now ?? (() => new Date());
  const logger = (options.logger ?? silentLogger()).child({ part: "simulator" });
  const codec = createTimeCodec(
    options.timeFormat ?? "iso-offset",
    options.timeZone ?? "Europe/Berlin",
  );
  const state = openState(options);
  const tokens = new TokenAuthority({
    header: options.authHeader ?? "Authorization",
    scheme: options.authScheme ?? "Bearer",
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    now,
  });
  const faults = new FaultInjector({
    expireAllTokens: () => tokens.expireAll(),
    setApiPassword: (password) => state.setApiPassword(password),
  });
  const server = new SimulatorServer({
    basePath,
    routes: apiRoutes({
      state,
      tokens,
      codec,
      loginResponse: options.loginResponse ?? "json-object",
      v11TimeTypeField: options.v11TimeTypeField ?? "timecategoryid",
    }),
    control: new ControlRoutes(state, faults),
    state,
    faults,
    tokens,
    now,
    logger,
  });
  await new Promise<void>((resolve, reject) => {
    server.http.once("error", reject);
    server.http.listen(options.port ?? 0, host, () => {
      server.http.off("error", reject);
      resolve();
    });
  });
  const port = (server.http.address() as AddressInfo).port;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const url = `http://${hostInUrl}:${port}${basePath}`;
  logger.info({ url }, "GoodTime simulator listening");
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.cancelPending();
      server.http.close((error) => (error ? reject(error) : resolve()));
      server.http.closeAllConnections();
    });
    return closing;
  };
  return { url, port, state, faults, close };
}
