import { constants, existsSync, statSync } from "node:fs";
import { ConfigError, type LoadedConfig, loadConfig } from "../config/load.js";
import { BadgeRepository } from "../store/badges.js";
import { type Db, databasePath, quickCheckProblems, schemaVersion } from "../store/database.js";
import { SCHEMA_VERSION } from "../store/migrations.js";
import type { ClockState } from "../system/clock-state.js";
import {
  type Check,
  canAccess,
  type DoctorDeps,
  type DoctorState,
  type Finding,
  fail,
  loadedOf,
  ok,
  warn,
} from "./types.js";

/** Checks of this machine that need no device: config, data directory, clock. */

function worldReadable(path: string): boolean {
  try {
    return (statSync(path).mode & 0o004) !== 0;
  } catch {
    return false;
  }
}

export const configCheck: Check = {
  name: "configuration",
  needs: [],
  run(deps, state) {
    const path = deps.configPath;
    try {
      state.loaded = loadConfig(path, deps.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const count = error.problems.length === 1 ? "1 problem" : `${error.problems.length} problems`;
      return fail(
        `config ${error.file} has ${count}: ${error.problems.join("; ")}`,
        `edit ${error.file} (timeclock config schema lists every key), then run: timeclock --config ${path} config check`,
      );
    }
    return judgeConfig(state.loaded, deps.selfCommand);
  },
};

/** The unit's user and group, which own the data directory and get the credential. */
const SERVICE_USER = "timeclock";

/**
 * The exact line that runs a command of this program the way the service runs: as its user and
 * groups, with the credential systemd hands the service.
 */
export function asServiceCommand(
  credentialFile: string,
  selfCommand: string,
  args: string,
): string {
  return `sudo systemd-run --pipe --wait --quiet --collect --uid=${SERVICE_USER} --gid=${SERVICE_USER} -p SupplementaryGroups="dialout gpio input" -p LoadCredential=apipassword:${credentialFile} ${selfCommand} ${args}`;
}

/**
 * What a loaded configuration means for the terminal: its password source, and whether anyone
 * can read the password. One judgement for `doctor` and `config check`, so that they agree.
 */
export function judgeConfig(loaded: LoadedConfig, selfCommand: string): Finding {
  const { config, path, passwordSource, passwordProblem } = loaded;
  if (passwordProblem !== undefined) {
    const fix =
      loaded.unreadableCredential !== undefined
        ? `run it as the service gets the password: ${asServiceCommand(loaded.unreadableCredential, selfCommand, `doctor --config ${path}`)}`
        : `give the API password (GoodTime: Settings, tab Security) as the systemd credential apipassword, or in a file named by server.apiPasswordFile that only the timeclock user can read`;
    return fail(`config ${path} is valid, but ${passwordProblem}`, fix);
  }
  const exposed = [
    config.server.apiPassword !== undefined && worldReadable(path) ? path : undefined,
    passwordSource === "server.apiPasswordFile" &&
    config.server.apiPasswordFile !== undefined &&
    worldReadable(config.server.apiPasswordFile)
      ? config.server.apiPasswordFile
      : undefined,
  ].filter((file): file is string => file !== undefined);
  if (exposed.length > 0) {
    return warn(
      `config ${path} is valid; the API password comes from ${passwordSource}, but ${exposed.join(" and ")} holding it is readable by every user`,
      `run: chmod o-r ${exposed.join(" ")} (or move the password to the systemd credential apipassword)`,
    );
  }
  return ok(`config ${path} is valid; the API password comes from ${passwordSource}`);
}

const RECOVER_FIX = (path: string) =>
  `stop the service (sudo systemctl stop timeclock), copy ${path} aside and try: sqlite3 ${path} ".recover" | sqlite3 recovered.db`;

function judgeDatabase(deps: DoctorDeps, state: DoctorState, db: Db, path: string): Finding {
  const problems = quickCheckProblems(db);
  if (problems.length > 0) {
    return fail(
      `database ${path} is damaged: ${problems.slice(0, 3).join("; ")}`,
      RECOVER_FIX(path),
    );
  }
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    return fail(
      `database ${path} has schema version ${version}, newer than this timeclock knows (${SCHEMA_VERSION})`,
      "install the newer timeclock again, or restore a backup of the database made by this version",
    );
  }
  if (version < SCHEMA_VERSION) {
    return warn(
      `database ${path} has schema version ${version}; this timeclock migrates it to ${SCHEMA_VERSION} when it starts`,
      "restart the service to migrate it: sudo systemctl restart timeclock",
    );
  }
  state.badges = new BadgeRepository(db, deps.clock).list();
  return ok(`database ${path} passes quick_check at schema version ${version}`);
}

function inspectDatabase(deps: DoctorDeps, state: DoctorState, path: string): Finding {
  let db: Db | undefined;
  try {
    db = deps.openDb(path);
    return judgeDatabase(deps, state, db, path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return fail(
      `database ${path} cannot be read${code ? ` (${code})` : ""}: ${(error as Error).message}`,
      RECOVER_FIX(path),
    );
  } finally {
    db?.close();
  }
}

/** The default terminal.dataDir, which systemd makes at service start (StateDirectory=timeclock). */
const SERVICE_STATE_DIR = "/var/lib/timeclock";

/** What a data directory that stat refuses with `code` means; pure, so that every case is tested. */
export function unreadableDataDir(dir: string, code: string): Finding {
  if (code === "ENOENT" && dir === SERVICE_STATE_DIR) {
    return warn(
      `terminal.dataDir ${dir} does not exist yet`,
      "the service creates it when it starts (StateDirectory=timeclock): sudo systemctl start timeclock",
    );
  }
  return fail(
    `terminal.dataDir ${dir} cannot be read (${code})`,
    `create it for the service user: sudo install -d -o timeclock -g timeclock -m 0750 ${dir}, and let the service write there (ReadWritePaths=${dir} in a drop-in, see systemd/README.md)`,
  );
}

export const dataCheck: Check = {
  name: "data directory and database",
  needs: ["config"],
  run(deps, state) {
    const dir = loadedOf(state).config.terminal.dataDir;
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch (error) {
      return unreadableDataDir(dir, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    if (!isDirectory) {
      return fail(
        `terminal.dataDir ${dir} is not a directory`,
        "set terminal.dataDir to a directory, e.g. /var/lib/timeclock",
      );
    }
    if (!canAccess(dir, constants.W_OK | constants.X_OK)) {
      return fail(
        `terminal.dataDir ${dir} is not writable by this user (uid ${process.getuid?.() ?? "?"})`,
        `run: sudo chown -R timeclock:timeclock ${dir}; and run the doctor as the service user: sudo -u timeclock timeclock doctor`,
      );
    }
    const path = databasePath(dir);
    if (!existsSync(path)) {
      state.badges = [];
      return ok(`${dir} is writable; no database yet (timeclock run creates ${path})`);
    }
    const database = inspectDatabase(deps, state, path);
    return { ...database, finding: `${dir} is writable; ${database.finding}` };
  },
};

export const clockCheck: Check = {
  name: "clock",
  needs: ["config"],
  async run(deps, state) {
    const trust = loadedOf(state).config.terminal.clockTrust;
    if (trust === "system") {
      return ok(
        'terminal.clockTrust is "system": the system clock is trusted without asking NTP (a battery-backed clock is assumed)',
      );
    }
    let clock: ClockState;
    try {
      clock = await deps.clockProbe.read();
    } catch (error) {
      return fail(
        `cannot tell whether the clock is synchronised: ${(error as Error).message}`,
        "run timeclock on Linux with /proc mounted",
      );
    }
    if (clock.synchronized) return ok(`system clock synchronised (checked by ${clock.source})`);
    const enable = clock.detail ?? "enable NTP: sudo timedatectl set-ntp true";
    if (clock.source === "none" && trust === "auto") {
      return warn(
        'no time service can tell whether the system clock is right, so terminal.clockTrust "auto" trusts it',
        `${enable}; on a machine with a battery-backed clock set terminal.clockTrust to "system"`,
      );
    }
    const by = clock.source === "none" ? "no time service answered" : `checked by ${clock.source}`;
    return warn(
      `system clock not synchronised (${by}): taps are stored but held until it is`,
      enable,
    );
  },
};
