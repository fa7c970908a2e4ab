import { randomUUID } from "node:crypto";
import type { ApiVersion, EntryRequest, TimeTypeField } from "./entry-request.js";
import { timeTypeField } from "./entry-request.js";
import type { PersistedState } from "./persistence.js";
import { ApiError, quote, utc } from "./reply.js";
import type { SeedTimeType, SimulatorSeed } from "./seed.js";

/**
 * The account a simulator serves: users, time types, projects, entries and locks, with the checks
 * the real service makes before it stores an entry. Knows nothing of HTTP beyond ApiError.
 */

export interface SimulatorEntry {
  id: string;
  userEmail: string;
  /** UTC, whole minutes. */
  start: Date;
  end: Date;
  timeTypeId: string;
  projectId: string | null;
  comment: string | null;
  locked: boolean;
}

export interface SimulatorProject {
  id: string;
  name: string;
  userEmails: string[];
}

export interface RequestRecord {
  method: string;
  /** Path below the base path, without the query, e.g. "/api/time-v2.1/createtimeentry". */
  path: string;
  /** "dropped" when a fault closed the connection without an answer. */
  status: number | "dropped";
  time: Date;
}

/** Totals since start (not kept in the state file). */
export interface SimulatorCounters {
  /** API requests, control routes excepted. */
  requests: number;
  /** Successful logins. */
  logins: number;
  /** Logins refused for wrong credentials. */
  loginFailures: number;
  /** Requests answered 401, wrong logins included. */
  authFailures: number;
  entriesCreated: number;
  entriesDeleted: number;
  /** Requests the simulator's own checks answered with another 4xx (400, 404, 405, 409, 415, 422). */
  refusals: number;
  /** Requests answered by failNext. */
  injectedFailures: number;
  /** Connections closed by dropNext. */
  droppedConnections: number;
}

type StoredEntry = Omit<SimulatorEntry, "locked">;

const MINUTE_MS = 60_000;
const REQUEST_LOG_LIMIT = 10_000;
const EVERY_USER = "*";

function toWholeMinute(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS);
}

function emptyCounters(): SimulatorCounters {
  return {
    requests: 0,
    logins: 0,
    loginFailures: 0,
    authFailures: 0,
    entriesCreated: 0,
    entriesDeleted: 0,
    refusals: 0,
    injectedFailures: 0,
    droppedConnections: 0,
  };
}

/** What tests see of a simulator's account: read access, plus locking a period as an admin would. */
export interface SimulatorState {
  users(): { loginEmail: string }[];
  timeTypes(): SeedTimeType[];
  projects(): SimulatorProject[];
  /** Every entry, oldest start first. */
  entries(): SimulatorEntry[];
  /** The latest API requests (at most 10000), oldest first; control routes are not logged. */
  requests(): RequestRecord[];
  readonly counters: SimulatorCounters;
  /** Whether the account has the feature "Lockable time entries". */
  readonly lockableEntries: boolean;
  lockUntil(userEmail: string, until: Date | string): void;
  /** Whether these credentials would log in now. */
  checkLogin(loginEmail: string, apiPassword: string): boolean;
}

export class SimulatorAccount implements SimulatorState {
  #admin: { loginEmail: string; apiPassword: string };
  readonly #userEmails: string[];
  readonly #timeTypes: SeedTimeType[];
  readonly #projects: SimulatorProject[];
  readonly #lockableEntries: boolean;
  readonly #locks = new Map<string, Date>();
  readonly #entries = new Map<string, StoredEntry>();
  readonly #requests: RequestRecord[] = [];
  readonly #counters = emptyCounters();
  readonly #onChange: () => void;

  private constructor(persisted: PersistedState, onChange: () => void) {
    this.#admin = { ...persisted.admin };
    this.#userEmails = [...persisted.userEmails];
    this.#timeTypes = persisted.timeTypes.map((type) => ({ ...type }));
    this.#projects = persisted.projects.map((p) => ({ ...p, userEmails: [...p.userEmails] }));
    this.#lockableEntries = persisted.lockableEntries;
    for (const [user, until] of Object.entries(persisted.locks)) {
      this.#locks.set(user, new Date(until));
    }
    for (const entry of persisted.entries) {
      this.#entries.set(entry.id, {
        ...entry,
        start: new Date(entry.start),
        end: new Date(entry.end),
      });
    }
    this.#onChange = onChange;
  }

  static fromSeed(seed: SimulatorSeed, onChange: () => void = () => {}): SimulatorAccount {
    const userEmails = seed.userEmails.includes(seed.admin.loginEmail)
      ? [...seed.userEmails]
      : [seed.admin.loginEmail, ...seed.userEmails];
    return new SimulatorAccount(
      {
        format: "timeclock-simulator-state",
        version: 1,
        admin: { ...seed.admin },
        userEmails,
        timeTypes: [...seed.timeTypes],
        projects: seed.projects.map((p) => ({ ...p, userEmails: [...p.userEmails] })),
        lockableEntries: seed.lockableEntries ?? true,
        locks: {},
        entries: [],
      },
      onChange,
    );
  }

  static fromPersisted(
    persisted: PersistedState,
    onChange: () => void = () => {},
  ): SimulatorAccount {
    return new SimulatorAccount(persisted, onChange);
  }

  toPersisted(): PersistedState {
    return {
      format: "timeclock-simulator-state",
      version: 1,
      admin: { ...this.#admin },
      userEmails: [...this.#userEmails],
      timeTypes: this.timeTypes(),
      projects: this.projects(),
      lockableEntries: this.#lockableEntries,
      locks: Object.fromEntries(
        [...this.#locks].map(([user, until]) => [user, until.toISOString()]),
      ),
      entries: [...this.#entries.values()].map((entry) => ({
        ...entry,
        start: entry.start.toISOString(),
        end: entry.end.toISOString(),
      })),
    };
  }

  users(): { loginEmail: string }[] {
    return this.#userEmails.map((loginEmail) => ({ loginEmail }));
  }

  timeTypes(): SeedTimeType[] {
    return this.#timeTypes.map((type) => ({ ...type }));
  }

  projects(): SimulatorProject[] {
    return this.#projects.map((p) => ({ ...p, userEmails: [...p.userEmails] }));
  }

  entries(): SimulatorEntry[] {
    return [...this.#entries.values()]
      .map((entry) => this.#withLock(entry))
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  requests(): RequestRecord[] {
    return this.#requests.map((record) => ({ ...record }));
  }

  get counters(): SimulatorCounters {
    return { ...this.#counters };
  }

  get lockableEntries(): boolean {
    return this.#lockableEntries;
  }

  lockUntil(userEmail: string, until: Date | string): void {
    if (!this.#lockableEntries) {
      throw new Error(
        "this account does not have lockable time entries; start the simulator with a seed whose lockableEntries is true",
      );
    }
    if (userEmail !== EVERY_USER) this.requireUser(userEmail, 400, "userEmail");
    const instant = new Date(until);
    if (Number.isNaN(instant.getTime())) {
      throw new Error(`lockUntil instant ${quote(until)} is not a date; pass a Date or ISO string`);
    }
    this.#locks.set(userEmail, instant);
    this.#onChange();
  }

  checkLogin(loginEmail: string, apiPassword: string): boolean {
    return loginEmail === this.#admin.loginEmail && apiPassword === this.#admin.apiPassword;
  }

  setApiPassword(apiPassword: string): void {
    this.#admin = { ...this.#admin, apiPassword };
    this.#onChange();
  }

  count(counter: keyof SimulatorCounters): void {
    this.#counters[counter] += 1;
  }

  record(request: RequestRecord): void {
    this.#counters.requests += 1;
    this.#requests.push(request);
    if (this.#requests.length > REQUEST_LOG_LIMIT) this.#requests.shift();
  }

  projectsOf(userEmail: string): { id: string; name: string }[] {
    return this.#projects
      .filter((p) => p.userEmails.includes(userEmail))
      .map(({ id, name }) => ({ id, name }));
  }

  /** The user's entries whose start lies in [from, to), oldest first. */
  entriesOf(userEmail: string, from: Date, to: Date): SimulatorEntry[] {
    return this.entries().filter(
      (e) =>
        e.userEmail === userEmail &&
        e.start.getTime() >= from.getTime() &&
        e.start.getTime() < to.getTime(),
    );
  }

  createEntry(
    request: EntryRequest,
    version: ApiVersion,
    typeField: TimeTypeField = timeTypeField(version),
  ): SimulatorEntry {
    this.requireUser(request.userEmail, 422, "useremail");
    if (!this.#timeTypes.some((type) => type.id === request.timeTypeId)) {
      const list = version === "v2.1" ? "timetypes" : "timecategories";
      throw new ApiError(
        422,
        `${typeField} ${quote(request.timeTypeId)} is not a time type of this account; GET ${list} lists them`,
      );
    }
    if (request.projectId !== null)
      this.#requireAssignedProject(request.projectId, request.userEmail);
    const start = toWholeMinute(request.start);
    let end = toWholeMinute(request.end);
    // The web app books whole minutes; like the SOAP service, a same-minute end moves one minute on.
    if (end.getTime() === start.getTime()) end = new Date(start.getTime() + MINUTE_MS);
    const lockedUntil = this.#lockedUntil(request.userEmail);
    if (lockedUntil && start.getTime() < lockedUntil.getTime()) {
      throw new ApiError(
        409,
        `starttime ${utc(start)} lies in a locked period: entries of ${quote(request.userEmail)} before ${utc(lockedUntil)} are locked; an admin must unlock the period first`,
      );
    }
    for (const other of this.#entries.values()) {
      if (
        other.userEmail === request.userEmail &&
        other.start.getTime() < end.getTime() &&
        start.getTime() < other.end.getTime()
      ) {
        throw new ApiError(
          409,
          `overlapping time entry: ${utc(start)} to ${utc(end)} overlaps entry ${other.id} of ${quote(request.userEmail)} from ${utc(other.start)} to ${utc(other.end)}`,
        );
      }
    }
    const entry: StoredEntry = {
      id: randomUUID(),
      userEmail: request.userEmail,
      start,
      end,
      timeTypeId: request.timeTypeId,
      projectId: request.projectId,
      comment: request.comment,
    };
    this.#entries.set(entry.id, entry);
    this.#counters.entriesCreated += 1;
    this.#onChange();
    return this.#withLock(entry);
  }

  deleteEntry(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) {
      throw new ApiError(404, `time entry ${quote(id)} does not exist (or was deleted already)`);
    }
    if (this.#withLock(entry).locked) {
      throw new ApiError(
        409,
        `time entry ${quote(id)} of ${quote(entry.userEmail)} is locked; an admin must unlock its period before it can be deleted`,
      );
    }
    this.#entries.delete(id);
    this.#counters.entriesDeleted += 1;
    this.#onChange();
  }

  /** Throws ApiError with `status` naming `field` when the email is not a user of the account. */
  requireUser(userEmail: string, status: number, field: string): void {
    if (this.#userEmails.includes(userEmail)) return;
    const similar = this.#userEmails.find((u) => u.toLowerCase() === userEmail.toLowerCase());
    const hint = similar ? `; did you mean ${quote(similar)}?` : "; GET users lists them";
    throw new ApiError(status, `${field} ${quote(userEmail)} is not a user of this account${hint}`);
  }

  #requireAssignedProject(projectId: string, userEmail: string): void {
    const project = this.#projects.find((p) => p.id === projectId);
    if (!project) {
      throw new ApiError(
        422,
        `projectid ${quote(projectId)} is not a project of this account; GET projects lists them`,
      );
    }
    if (!project.userEmails.includes(userEmail)) {
      throw new ApiError(
        422,
        `projectid ${quote(projectId)} (${project.name}) is not assigned to ${quote(userEmail)}; GET projects/{useremail} lists theirs`,
      );
    }
  }

  #lockedUntil(userEmail: string): Date | undefined {
    const own = this.#locks.get(userEmail)?.getTime() ?? Number.NEGATIVE_INFINITY;
    const all = this.#locks.get(EVERY_USER)?.getTime() ?? Number.NEGATIVE_INFINITY;
    const latest = Math.max(own, all);
    return Number.isFinite(latest) ? new Date(latest) : undefined;
  }

  #withLock(entry: StoredEntry): SimulatorEntry {
    const until = this.#lockedUntil(entry.userEmail);
    const locked = until !== undefined && entry.start.getTime() < until.getTime();
    return { ...entry, start: new Date(entry.start), end: new Date(entry.end), locked };
  }
}
