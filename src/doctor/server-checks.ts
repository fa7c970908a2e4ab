import { badgeText } from "../admin/badge-rules.js";
import { credentialSourcePath, type LoadedConfig, type PasswordSource } from "../config/load.js";
import type { GoodTimeClient } from "../goodtime/client.js";
import { GoodTimeError } from "../goodtime/errors.js";
import type { Badge } from "../store/badges.js";
import { type Check, fail, loadedOf, ok, sessionOf, warn } from "./types.js";

/** Checks of the GoodTime account: reachable, credentials, ids the config and badges name, users. */

/** Where an admin goes to change the password the terminal uses. */
export function describePasswordSource(loaded: LoadedConfig): string {
  const source: PasswordSource = loaded.passwordSource;
  switch (source) {
    case "environment TIMECLOCK_API_PASSWORD":
      return "the environment variable TIMECLOCK_API_PASSWORD";
    case "systemd credential apipassword":
      return "the systemd credential apipassword ($CREDENTIALS_DIRECTORY/apipassword)";
    case "server.apiPasswordFile":
      return `server.apiPasswordFile (${loaded.config.server.apiPasswordFile})`;
    case "server.apiPassword":
      return `server.apiPassword in ${loaded.path}`;
    case "credential source beside the config":
      return `the credential's source ${credentialSourcePath(loaded.path)} (read directly, as root)`;
    case "none":
      return "no source (none is configured)";
  }
}

export const serverCheck: Check = {
  name: "server reachable",
  needs: ["config"],
  async run(deps, state) {
    const loaded = loadedOf(state);
    // sayhello needs no login; without a password the client is built only to ask it, and the
    // credentials check refuses to log in.
    state.client = deps.createClient(
      loaded.apiPassword === undefined ? { ...loaded, apiPassword: "" } : loaded,
    );
    const { baseUrl } = loaded.config.server;
    try {
      const answer = await state.client.hello();
      state.serverReachable = true;
      return ok(`${baseUrl} answers sayhello with ${JSON.stringify(answer)}`);
    } catch (error) {
      if (!(error instanceof GoodTimeError)) throw error;
      if (error.code === "GT_NOT_FOUND") {
        return fail(
          `${baseUrl} is reachable but has no GoodTime API there: ${error.endpoint} answered 404`,
          `check server.baseUrl (${baseUrl}); it includes the service's base path, e.g. https://getgoodtime.com/goodtime-rs`,
        );
      }
      if (error.code === "GT_TLS") {
        return fail(
          `${error.message} [${error.code}]`,
          "TLS verification stays on: check the system date (timedatectl), the CA certificates (sudo apt-get install ca-certificates) and the host in server.baseUrl",
        );
      }
      return fail(
        `${error.message} [${error.code}]`,
        `check the network, DNS and firewall (curl -sS ${baseUrl}/api/hello/sayhello) and server.baseUrl; if the service is down, try again later`,
      );
    }
  },
};

export const credentialsCheck: Check = {
  name: "credentials",
  needs: ["config", "server"],
  async run(_deps, state) {
    const { loaded, client } = sessionOf(state);
    const { loginEmail } = loaded.config.server;
    if (loaded.apiPassword === undefined) {
      return {
        status: "skip",
        finding: "no API password to log in with; see the configuration check",
      };
    }
    const source = describePasswordSource(loaded);
    try {
      await client.login();
      const answer = await client.securedHello();
      state.loggedIn = true;
      return ok(
        `logged in as ${loginEmail} with the password from ${source}; securedSayhello answers ${JSON.stringify(answer)}`,
      );
    } catch (error) {
      if (!(error instanceof GoodTimeError)) throw error;
      if (error.kind === "auth") {
        return fail(
          `GoodTime refused the login of server.loginEmail ${loginEmail} with the API password from ${source} [${error.code}]`,
          `check server.loginEmail and the API password in ${source} (GoodTime: Settings, tab Security; it is not the web login password), then run: timeclock server check`,
        );
      }
      return fail(
        `logging in as ${loginEmail} failed: ${error.message} [${error.code}]`,
        "check server.authHeader and server.authScheme, then run: timeclock server check",
      );
    }
  },
};

function badgeLabel(badge: Badge, redact: boolean): string {
  return redact ? `a badge of ${badge.email}` : `badge ${badgeText(badge)} (${badge.email})`;
}

/** Badges whose shifts would be booked into a project not assigned to their user (422 on booking). */
async function unassignedProjects(
  client: GoodTimeClient,
  badges: readonly Badge[],
  defaultProject: string | null,
  redact: boolean,
): Promise<string[]> {
  const assigned = new Map<string, Set<string> | undefined>();
  const problems: string[] = [];
  for (const badge of badges) {
    const project = badge.projectId ?? defaultProject;
    if (project === null) continue;
    const email = badge.email.toLowerCase();
    if (!assigned.has(email)) {
      try {
        assigned.set(email, new Set((await client.projects(email)).map((p) => p.id)));
      } catch (error) {
        // An email GoodTime does not know is the badge users check's to report.
        const unknownUser =
          error instanceof GoodTimeError &&
          error.kind === "refused" &&
          error.code === "GT_NOT_FOUND";
        if (!unknownUser) throw error;
        assigned.set(email, undefined);
      }
    }
    if (assigned.get(email)?.has(project) === false) {
      problems.push(`project ${JSON.stringify(project)} of ${badgeLabel(badge, redact)}`);
    }
  }
  return problems;
}

export const catalogCheck: Check = {
  name: "time types and projects",
  needs: ["config", "server", "login"],
  async run(_deps, state) {
    const { loaded, client } = sessionOf(state);
    const { entry, feedback, log } = loaded.config;
    const typeIds = new Set((await client.timeTypes()).map((type) => type.id));
    const projectIds = new Set((await client.projects()).map((project) => project.id));
    const missing: string[] = [];
    const needType = (id: string | null | undefined, what: string) => {
      if (id && !typeIds.has(id)) missing.push(`time type ${JSON.stringify(id)} of ${what}`);
    };
    const needProject = (id: string | null | undefined, what: string) => {
      if (id && !projectIds.has(id)) missing.push(`project ${JSON.stringify(id)} of ${what}`);
    };
    needType(entry.timeTypeId, "entry.timeTypeId");
    needProject(entry.projectId, "entry.projectId");
    feedback.keys.forEach((key, index) => {
      needType(key.timeTypeId, `feedback.keys[${index}].timeTypeId`);
    });
    for (const badge of state.badges ?? []) {
      needType(badge.timeTypeId, badgeLabel(badge, log.redactBadges));
      needProject(badge.projectId, badgeLabel(badge, log.redactBadges));
    }
    if (missing.length > 0) {
      return fail(
        `GoodTime does not know ${missing.join("; ")}`,
        "use ids that timeclock server timetypes and timeclock server projects list: correct entry and feedback.keys in the config, and badges with timeclock badges add BADGE EMAIL --time-type ID --project ID",
      );
    }
    const unassigned = await unassignedProjects(
      client,
      state.badges ?? [],
      entry.projectId,
      log.redactBadges,
    );
    if (unassigned.length > 0) {
      return fail(
        `not assigned to the badge's user, so GoodTime would refuse the booking: ${unassigned.join("; ")}`,
        "assign the project to the user in GoodTime, or give the badge another project with timeclock badges add BADGE EMAIL --project ID (timeclock server projects EMAIL lists the user's projects)",
      );
    }
    const badges =
      state.badges === undefined
        ? "badges not checked (the database could not be read)"
        : `${state.badges.length} badge mapping(s) checked`;
    const project = entry.projectId === null ? "no project" : `project ${entry.projectId}`;
    return ok(`time type ${entry.timeTypeId} and ${project} exist; ${badges}`);
  },
};

export const badgeUsersCheck: Check = {
  name: "badge users",
  needs: ["config", "server", "login"],
  async run(_deps, state) {
    const { loaded, client } = sessionOf(state);
    const badges = state.badges;
    if (badges === undefined) {
      return warn(
        "badges not checked: the database could not be read",
        "see the data directory and database check",
      );
    }
    if (badges.length === 0) {
      return warn(
        "no badges are mapped yet: every tap will be refused as unknown",
        "map badges with timeclock badges add BADGE EMAIL, or timeclock badges import FILE",
      );
    }
    const users = new Set((await client.users()).map((user) => user.loginEmail.toLowerCase()));
    const strangers = badges.filter((badge) => !users.has(badge.email.toLowerCase()));
    if (strangers.length > 0) {
      const list = strangers.map((badge) => badgeLabel(badge, loaded.config.log.redactBadges));
      return fail(
        `${strangers.length} of ${badges.length} mapped badges name an email that is not a GoodTime user: ${list.join(", ")}`,
        "correct the email with timeclock badges add BADGE EMAIL (timeclock server users lists the users), or create the user in GoodTime; until then these taps cannot be booked",
      );
    }
    return ok(`all ${badges.length} mapped badges belong to GoodTime users`);
  },
};
