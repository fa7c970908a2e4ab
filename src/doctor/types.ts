import { accessSync } from "node:fs";
import type { LoadedConfig } from "../config/load.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { GoodTimeClient } from "../goodtime/client.js";
import type { ChipFacts } from "../gpio/resolve.js";
import type { Badge } from "../store/badges.js";
import type { Db } from "../store/database.js";
import type { ClockProbe } from "../system/clock-state.js";

/** "skip" marks a check that could not run because an earlier one failed; it never fails the run. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of the doctor's report, as printed and as `--json` emits it. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** One line: what was found. */
  finding: string;
  /** On warn and fail: what to do, with commands, paths and config keys. */
  fix?: string;
}

export type Finding = Omit<CheckResult, "check">;

/** Everything a check touches outside the process, so that tests run the checks without a Pi. */
export interface DoctorDeps {
  configPath: string;
  env: NodeJS.ProcessEnv;
  /** "/" on the Pi; device paths, /proc and /dev are read below it. */
  fsRoot: string;
  clock: Clock;
  logger: Logger;
  clockProbe: ClockProbe;
  /** The GPIO chips as the kernel and libgpiod describe them. */
  scanChips: () => Promise<ChipFacts[]>;
  createClient: (loaded: LoadedConfig) => GoodTimeClient;
  /** Opens an existing database file without creating or migrating it. */
  openDb: (path: string) => Db;
  /** Book, read back and delete a test entry (`--write-test`). */
  writeTest: boolean;
  /** How to run this program again, for a fix that says exactly which line to run. */
  selfCommand: string;
  /** Write the API dialect the write test found into the config file (`--save`). */
  save: boolean;
}

/** What earlier checks learned, for later ones. */
export interface DoctorState {
  loaded?: LoadedConfig;
  /** undefined when the database could not be read; [] when there is none yet. */
  badges?: Badge[];
  client?: GoodTimeClient;
  serverReachable: boolean;
  loggedIn: boolean;
}

export type Requirement = "config" | "server" | "login";

export interface Check {
  name: string;
  /** Earlier results this check cannot do without; unmet, it is skipped with a note. */
  needs: readonly Requirement[];
  /** Whether it runs at all, e.g. only with `--write-test`. */
  enabled?: (deps: DoctorDeps) => boolean;
  run(deps: DoctorDeps, state: DoctorState): Promise<Finding> | Finding;
}

export function ok(finding: string): Finding {
  return { status: "ok", finding };
}

export function warn(finding: string, fix: string): Finding {
  return { status: "warn", finding, fix };
}

export function fail(finding: string, fix: string): Finding {
  return { status: "fail", finding, fix };
}

/** The loaded config; the runner runs a check that needs it only after the config check set it. */
export function loadedOf(state: DoctorState): LoadedConfig {
  if (!state.loaded) throw new Error("the configuration check must run first");
  return state.loaded;
}

/** Config and client; the runner runs a check that needs the server only after it was reached. */
export function sessionOf(state: DoctorState): { loaded: LoadedConfig; client: GoodTimeClient } {
  if (!state.client) throw new Error("the server check must run first");
  return { loaded: loadedOf(state), client: state.client };
}

/** fs.access as a yes or no: whether this process may use `path` in `mode`. */
export function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
