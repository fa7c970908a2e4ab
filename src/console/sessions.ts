import { randomBytes } from "node:crypto";

/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** ... and after this long in any case: a forgotten tab on a shared PC does not stay logged in. */
export const SESSION_MAX_MS = 12 * 3_600_000;
/** Sessions kept at once; the oldest is ended when a login would go past it. */
const MAX_SESSIONS = 50;

export interface Flash {
  kind: "ok" | "error";
  text: string;
}

export interface Session {
  readonly id: string;
  /** A short public tag of the session for logs and the admin record; never the id. */
  readonly tag: string;
  /** Address the login came from. */
  readonly address: string;
  readonly createdAt: number;
  lastSeenAt: number;
  /** The password the session was opened with (its salt); a new password ends it. */
  readonly passwordVersion: string;
  /** One message for the next page, after a change redirected there. */
  flash?: Flash;
}

/**
 * The console's logins, in memory: a restart of the console process ends them all, which is the
 * safe way round. Ids are 256 random bits; expiry is judged on each lookup against the clock
 * passed in, so tests can move time.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  open(address: string, passwordVersion: string): Session {
    this.#sweep();
    if (this.#sessions.size >= MAX_SESSIONS) {
      const oldest = [...this.#sessions.values()].sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0];
      if (oldest) this.#sessions.delete(oldest.id);
    }
    const now = this.#now();
    const session: Session = {
      id: randomBytes(32).toString("base64url"),
      tag: randomBytes(3).toString("hex"),
      address,
      createdAt: now,
      lastSeenAt: now,
      passwordVersion,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /**
   * The live session for a cookie value, its idle time renewed; undefined when there is none,
   * it expired, or the password changed since it was opened.
   */
  find(id: string | undefined, passwordVersion: string | null): Session | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    if (
      now - session.lastSeenAt > SESSION_IDLE_MS ||
      now - session.createdAt > SESSION_MAX_MS ||
      session.passwordVersion !== passwordVersion
    ) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, session] of this.#sessions) {
      if (now - session.lastSeenAt > SESSION_IDLE_MS || now - session.createdAt > SESSION_MAX_MS) {
        this.#sessions.delete(id);
      }
    }
  }
}
