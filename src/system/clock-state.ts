import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "./run-command.js";

/**
 * Whether the system clock can be trusted. A Raspberry Pi has no battery-backed clock: after a
 * power cut it boots with the time saved at shutdown and keeps it until NTP answers, which may be
 * hours later when the network is down. Taps stamped before then need to be marked as such.
 */
export interface ClockState {
  synchronized: boolean;
  source: "timesyncd-marker" | "timedatectl" | "chrony" | "config" | "none";
  /** Kernel boot id: monotonic clock readings compare only within one boot. */
  bootId: string;
  /** Why the clock is not trusted, and what to do about it. */
  detail?: string;
}

export interface ClockProbe {
  read(): Promise<ClockState>;
  bootId(): string;
}

export type OutputRunner = (file: string, args: string[]) => Promise<string>;

export interface ClockProbeDeps {
  /** Where / is; tests point it at a fake tree. Default "/". */
  fsRoot?: string;
  /** Runs a program and resolves to its stdout; injectable for tests. */
  run?: OutputRunner;
}

// systemd-timesyncd (≥ 239) touches this file at its first successful sync; /run is emptied at boot.
export const TIMESYNC_MARKER = "run/systemd/timesync/synchronized";
export const BOOT_ID_FILE = "proc/sys/kernel/random/boot_id";
const PROBE_TIMEOUT_MS = 5_000;

/** "yes"/"no" from `timedatectl show -p NTPSynchronized --value`; undefined for anything else. */
export function parseNtpSynchronized(output: string): boolean | undefined {
  const value = output.trim();
  if (value === "yes") return true;
  if (value === "no") return false;
  return undefined;
}

/** The "Leap status" line of `chronyc -n tracking`: anything but "Not synchronised" means synced. */
export function parseChronyTracking(output: string): boolean | undefined {
  const leap = /^Leap status\s*:\s*(.+?)\s*$/m.exec(output)?.[1];
  if (leap === undefined) return undefined;
  return leap !== "Not synchronised";
}

type Answer<T> = { value: T } | { problem: string };

async function ask<T>(
  run: OutputRunner,
  file: string,
  args: string[],
  parse: (output: string) => T | undefined,
): Promise<Answer<T>> {
  const command = [file, ...args].join(" ");
  let output: string;
  try {
    output = await run(file, args);
  } catch (error) {
    return { problem: (error as Error).message || `${command} failed` };
  }
  const value = parse(output);
  if (value === undefined) {
    return { problem: `${command} printed ${JSON.stringify(output.trim().slice(0, 200))}` };
  }
  return { value };
}

export function createClockProbe(deps: ClockProbeDeps = {}): ClockProbe {
  const root = deps.fsRoot ?? "/";
  const run: OutputRunner =
    deps.run ?? ((file, args) => runCommand(file, args, { timeoutMs: PROBE_TIMEOUT_MS }));
  let cachedBootId: string | undefined;

  function bootId(): string {
    if (cachedBootId !== undefined) return cachedBootId;
    const path = join(root, BOOT_ID_FILE);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(
        `cannot read the boot id from ${path} (${code}); timeclock needs Linux with /proc mounted (in a systemd unit, do not set ProcSubset=pid)`,
      );
    }
    const id = text.trim();
    if (!id) throw new Error(`the boot id file ${path} is empty; expected a UUID`);
    cachedBootId = id;
    return id;
  }

  async function read(): Promise<ClockState> {
    const boot = bootId();
    if (existsSync(join(root, TIMESYNC_MARKER))) {
      return { synchronized: true, source: "timesyncd-marker", bootId: boot };
    }
    const timedatectl = await ask(
      run,
      "timedatectl",
      ["show", "-p", "NTPSynchronized", "--value"],
      parseNtpSynchronized,
    );
    if ("value" in timedatectl && timedatectl.value) {
      return { synchronized: true, source: "timedatectl", bootId: boot };
    }
    // chrony keeps the kernel's sync flag clear unless rtcsync is set, so timedatectl may say "no"
    // on a chrony host whose clock is fine: ask chrony itself before distrusting the clock.
    const chrony = await ask(run, "chronyc", ["-n", "tracking"], parseChronyTracking);
    if ("value" in chrony) {
      return chrony.value
        ? { synchronized: true, source: "chrony", bootId: boot }
        : {
            synchronized: false,
            source: "chrony",
            bootId: boot,
            detail:
              "chrony has not synchronised the clock since boot (chronyc tracking: Leap status Not synchronised); check the network and `chronyc sources`",
          };
    }
    if ("value" in timedatectl) {
      return {
        synchronized: false,
        source: "timedatectl",
        bootId: boot,
        detail:
          "timedatectl reports NTPSynchronized=no: NTP has not set the clock since boot; check the network and `timedatectl timesync-status`",
      };
    }
    return {
      synchronized: false,
      source: "none",
      bootId: boot,
      detail: `cannot tell whether the clock is synchronised: no ${join(root, TIMESYNC_MARKER)}; ${timedatectl.problem}; ${chrony.problem}. Enable NTP with \`sudo timedatectl set-ntp true\` (systemd-timesyncd) or install chrony`,
    };
  }

  return { read, bootId };
}

/**
 * For machines whose clock is trusted without NTP (a battery-backed RTC, a host that is not a
 * Pi): every reading says synchronised. Chosen with terminal.clockTrust "system".
 */
export function createTrustedClockProbe(probe: ClockProbe): ClockProbe {
  return {
    read: async () => ({ synchronized: true, source: "config", bootId: probe.bootId() }),
    bootId: () => probe.bootId(),
  };
}

/**
 * terminal.clockTrust "auto": a clock that no tool can vouch for (no systemd-timesyncd, timedatectl
 * or chrony answers, as in a container) is trusted, with the reason kept in `detail`; a clock that a
 * tool reports as unsynchronised is not.
 */
export function createAutoClockProbe(probe: ClockProbe): ClockProbe {
  return {
    read: async () => {
      const state = await probe.read();
      if (state.synchronized || state.source !== "none") return state;
      return {
        ...state,
        synchronized: true,
        detail: `trusted because nothing can tell (terminal.clockTrust "auto"): ${state.detail ?? ""}`,
      };
    },
    bootId: () => probe.bootId(),
  };
}
