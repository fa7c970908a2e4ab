import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll } from "vitest";
import type { LoadedConfig } from "../../src/config/load.js";
import { parseConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/core/logger.js";
import type { DoctorDeps, DoctorState } from "../../src/doctor/types.js";
import { FakeClock } from "../fakes/clock.js";

export const NOW = new Date("2026-11-27T10:00:00Z");

/** A valid config with `sections` merged over the required keys. */
export function loadedWith(sections: Record<string, unknown> = {}): LoadedConfig {
  const config = parseConfig(
    {
      server: { loginEmail: "admin@gtsandbox.en" },
      entry: { timeTypeId: "56941eee-86a7-4a8d-8af1-f78b0a688f32" },
      ...sections,
    },
    "doctor-test.json",
  );
  return {
    path: "doctor-test.json",
    config,
    apiPassword: "not-used",
    passwordSource: "server.apiPassword",
    passwordProblem: undefined,
    warnings: [],
  };
}

export function stateWith(sections: Record<string, unknown> = {}): DoctorState {
  return { loaded: loadedWith(sections), serverReachable: false, loggedIn: false };
}

/** Dependencies that refuse to be used unless a test hands in its own. */
export function depsWith(overrides: Partial<DoctorDeps> = {}): DoctorDeps {
  const unused = (what: string) => () => {
    throw new Error(`this test does not expect the doctor to use ${what}`);
  };
  return {
    configPath: "doctor-test.json",
    env: {},
    fsRoot: "/",
    clock: new FakeClock(NOW),
    logger: silentLogger(),
    clockProbe: { read: unused("the clock probe"), bootId: unused("the boot id") },
    scanChips: unused("GPIO chips"),
    createClient: unused("the GoodTime client"),
    openDb: (path) => new Database(path, { fileMustExist: true }),
    writeTest: false,
    selfCommand: "timeclock",
    save: false,
    ...overrides,
  };
}

export interface FakeProcess {
  pid: number;
  comm: string;
  cmdline: string[];
  /** What the process's file descriptors point at, e.g. "/dev/ttyAMA0". */
  fds: string[];
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed when the test file is done. */
export function scratchDir(prefix = "timeclock-doctor-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A directory standing in for "/": /dev, /proc and /etc as the reader check reads them. */
export function fakeRoot(
  system: {
    cmdline?: string;
    serial0?: string;
    processes?: FakeProcess[];
    devices?: string[];
  } = {},
): string {
  const root = scratchDir("timeclock-doctor-root-");
  const file = (path: string, content = "") => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  for (const device of system.devices ?? ["dev/ttyAMA0", "dev/ttyUSB0"]) file(device);
  if (system.serial0) symlinkSync(system.serial0, join(root, "dev/serial0"));
  file("proc/cmdline", `${system.cmdline ?? "console=tty1 root=PARTUUID=1234-02 rootwait"}\n`);
  for (const { pid, comm, cmdline, fds } of system.processes ?? []) {
    file(`proc/${pid}/comm`, `${comm}\n`);
    file(`proc/${pid}/cmdline`, `${cmdline.join("\0")}\0`);
    mkdirSync(join(root, `proc/${pid}/fd`), { recursive: true });
    for (const [fd, target] of fds.entries()) {
      symlinkSync(target, join(root, `proc/${pid}/fd/${fd}`));
    }
  }
  return root;
}
