import type { CatalogResult, CatalogSource } from "../admin/index.js";
import type { LoadedConfig } from "../config/load.js";
import type { Logger } from "../core/logger.js";
import type { GoodTimeClient } from "../goodtime/client.js";
import { GoodTimeError } from "../goodtime/errors.js";
import { createClientFromConfig } from "../goodtime/from-config.js";

/** A list from GoodTime, or why it could not be read (the form then takes typed values). */
export type Listing<T> = { ok: true; items: T[] } | { ok: false; reason: string };

export interface Named {
  id: string;
  name: string;
}

/** GoodTime's users, time types and projects for the console's forms. */
export interface GoodTimeDirectory {
  users(): Promise<Listing<string>>;
  timeTypes(): Promise<Listing<Named>>;
  /** One user's projects (`projects/{email}`), or all of the account's. */
  projects(email?: string): Promise<Listing<Named>>;
  /** For checking a mapping before it is saved, as `badges add --check` does. */
  catalog: CatalogSource;
  close(): void;
}

/** Lists are kept this long: a form that is opened twice asks GoodTime once. */
const CACHE_MS = 60_000;

/**
 * The directory over the configured GoodTime account. A server that cannot be asked (no API
 * password, network down) yields the reason instead of a list: an admin can still type values.
 */
export function goodTimeDirectory(
  loaded: LoadedConfig,
  logger: Logger,
  now: () => number,
): GoodTimeDirectory {
  let client: GoodTimeClient | undefined;
  let missing: string | undefined;
  if (loaded.apiPassword === undefined) {
    missing = loaded.passwordProblem ?? "no API password";
  } else {
    client = createClientFromConfig(loaded, logger.child({ part: "goodtime" }));
  }
  const cache = new Map<string, { at: number; value: Listing<unknown> }>();
  async function cached<T>(key: string, fetch: (api: GoodTimeClient) => Promise<T[]>) {
    const hit = cache.get(key);
    if (hit?.value.ok && now() - hit.at < CACHE_MS) return hit.value as Listing<T>;
    if (!client) return { ok: false as const, reason: missing ?? "no API password" };
    let value: Listing<T>;
    try {
      value = { ok: true, items: await fetch(client) };
    } catch (error) {
      if (!(error instanceof GoodTimeError)) throw error;
      value = { ok: false, reason: error.message };
    }
    cache.set(key, { at: now(), value });
    return value;
  }
  const directory: GoodTimeDirectory = {
    users: () =>
      cached("users", async (api) =>
        (await api.users()).map((user) => user.loginEmail.toLowerCase()).sort(),
      ),
    timeTypes: () => cached("timetypes", (api) => api.timeTypes()),
    projects: (email) => cached(`projects:${email ?? ""}`, (api) => api.projects(email)),
    async catalog(): Promise<CatalogResult> {
      const [users, timeTypes, projects] = await Promise.all([
        directory.users(),
        directory.timeTypes(),
        directory.projects(),
      ]);
      if (!users.ok || !timeTypes.ok || !projects.ok) {
        const reason = [users, timeTypes, projects].find((listing) => !listing.ok);
        return {
          ok: false,
          warning: `could not check against GoodTime: ${reason && !reason.ok ? reason.reason : "unknown"}; saved without the check`,
        };
      }
      return {
        ok: true,
        catalog: {
          userEmails: new Set(users.items),
          timeTypeIds: new Set(timeTypes.items.map((type) => type.id)),
          projectIds: new Set(projects.items.map((project) => project.id)),
        },
      };
    },
    close: () => client?.close(),
  };
  return directory;
}
