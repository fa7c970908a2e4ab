import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BOOT_ID_FILE,
  createAutoClockProbe,
  createClockProbe,
  createTrustedClockProbe,
  parseChronyTracking,
  parseNtpSynchronized,
  TIMESYNC_MARKER,
} from "../../src/system/clock-state.js";
import { CommandFailedError } from "../../src/system/run-command.js";

const BOOT_ID = "a2832236-ee12-4a18-bcdb-6e80962f40a8";

const CHRONY_SYNCED = `Reference ID    : C0A80001 (192.168.0.1)
Stratum         : 3
Ref time (UTC)  : Fri Nov 27 23:50:01 2026
System time     : 0.000012 seconds slow of NTP time
Leap status     : Normal
`;
const CHRONY_UNSYNCED = `Reference ID    : 00000000 ()
Stratum         : 0
Ref time (UTC)  : Thu Jan 01 00:00:00 1970
Leap status     : Not synchronised
`;

function fakeRoot(options: { marker?: boolean; bootId?: string | null } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "timeclock-clock-root-"));
  const files: Record<string, string> = {};
  if (options.bootId !== null) files[BOOT_ID_FILE] = `${options.bootId ?? BOOT_ID}\n`;
  if (options.marker) files[TIMESYNC_MARKER] = "";
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

type Reply = string | "missing" | "broken";

/** Answers like the real programs; "missing" fails as execFile does when the program is absent. */
function fakeRunner(replies: { timedatectl: Reply; chronyc: Reply }) {
  const calls: string[] = [];
  const run = async (file: string, args: string[]): Promise<string> => {
    const command = [file, ...args].join(" ");
    calls.push(command);
    const reply = replies[file as keyof typeof replies];
    if (reply === undefined) throw new Error(`unexpected command ${command}`);
    if (reply === "missing") {
      throw new CommandFailedError(command, "ENOENT", "", "is not installed (not found in PATH)");
    }
    if (reply === "broken") {
      throw new CommandFailedError(
        command,
        1,
        "Failed to connect to bus: Host is down",
        "exited with status 1",
      );
    }
    return reply;
  };
  return { calls, run };
}

describe("parsers", () => {
  it.each([
    ["yes\n", true],
    ["no\n", false],
    ["", undefined],
    ["maybe", undefined],
  ])("timedatectl NTPSynchronized %j is %s", (output, expected) => {
    expect(parseNtpSynchronized(output)).toBe(expected);
  });

  it.each([
    [CHRONY_SYNCED, true],
    [CHRONY_UNSYNCED, false],
    ["Leap status     : Insert second\n", true],
    ["506 Cannot talk to daemon\n", undefined],
  ])("chronyc tracking %j is %s", (output, expected) => {
    expect(parseChronyTracking(output)).toBe(expected);
  });
});

describe("createClockProbe", () => {
  it.each([
    {
      name: "timesyncd marker present",
      marker: true,
      timedatectl: "no\n",
      chronyc: "missing",
      expected: { synchronized: true, source: "timesyncd-marker" },
      commands: [],
    },
    {
      name: "timedatectl says yes",
      marker: false,
      timedatectl: "yes\n",
      chronyc: "missing",
      expected: { synchronized: true, source: "timedatectl" },
      commands: ["timedatectl show -p NTPSynchronized --value"],
    },
    {
      name: "timedatectl says no, no chrony",
      marker: false,
      timedatectl: "no\n",
      chronyc: "missing",
      expected: {
        synchronized: false,
        source: "timedatectl",
        detail: expect.stringContaining("NTPSynchronized=no"),
      },
      commands: ["timedatectl show -p NTPSynchronized --value", "chronyc -n tracking"],
    },
    {
      name: "timedatectl says no, chrony synced (no rtcsync)",
      marker: false,
      timedatectl: "no\n",
      chronyc: CHRONY_SYNCED,
      expected: { synchronized: true, source: "chrony" },
      commands: ["timedatectl show -p NTPSynchronized --value", "chronyc -n tracking"],
    },
    {
      name: "no timedatectl, chrony not yet synced",
      marker: false,
      timedatectl: "missing",
      chronyc: CHRONY_UNSYNCED,
      expected: {
        synchronized: false,
        source: "chrony",
        detail: expect.stringContaining("chronyc sources"),
      },
      commands: ["timedatectl show -p NTPSynchronized --value", "chronyc -n tracking"],
    },
    {
      name: "neither tool answers",
      marker: false,
      timedatectl: "broken",
      chronyc: "missing",
      expected: {
        synchronized: false,
        source: "none",
        detail: expect.stringMatching(
          /Host is down.*chronyc -n tracking is not installed.*sudo timedatectl set-ntp true/,
        ),
      },
      commands: ["timedatectl show -p NTPSynchronized --value", "chronyc -n tracking"],
    },
    {
      name: "timedatectl prints nonsense, no chrony",
      marker: false,
      timedatectl: "maybe\n",
      chronyc: "missing",
      expected: {
        synchronized: false,
        source: "none",
        detail: expect.stringContaining('printed "maybe"'),
      },
      commands: ["timedatectl show -p NTPSynchronized --value", "chronyc -n tracking"],
    },
  ] as const)("$name", async ({ marker, timedatectl, chronyc, expected, commands }) => {
    const { calls, run } = fakeRunner({ timedatectl, chronyc });
    const probe = createClockProbe({ fsRoot: fakeRoot({ marker }), run });
    const state = await probe.read();
    expect(state).toEqual({ bootId: BOOT_ID, ...expected });
    if (state.synchronized) expect(state.detail).toBeUndefined();
    expect(calls).toEqual(commands);
  });

  it("reads the boot id once and keeps it", () => {
    const probe = createClockProbe({ fsRoot: fakeRoot({ bootId: "first" }) });
    expect(probe.bootId()).toBe("first");
    expect(probe.bootId()).toBe("first");
  });

  it("names the boot id file when it cannot be read", () => {
    const root = fakeRoot({ bootId: null });
    const probe = createClockProbe({ fsRoot: root });
    expect(() => probe.bootId()).toThrow(
      `cannot read the boot id from ${join(root, BOOT_ID_FILE)} (ENOENT)`,
    );
  });

  it("reads this machine's boot id from /proc by default", async () => {
    const probe = createClockProbe({
      run: fakeRunner({ timedatectl: "no\n", chronyc: "missing" }).run,
    });
    expect(probe.bootId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});

describe("createTrustedClockProbe", () => {
  it("says synchronised from the config without asking any tool", async () => {
    const { calls, run } = fakeRunner({ timedatectl: "no\n", chronyc: "missing" });
    const probe = createTrustedClockProbe(createClockProbe({ fsRoot: fakeRoot(), run }));
    expect(await probe.read()).toEqual({ synchronized: true, source: "config", bootId: BOOT_ID });
    expect(probe.bootId()).toBe(BOOT_ID);
    expect(calls).toEqual([]);
  });
});

describe("createAutoClockProbe", () => {
  it.each([
    {
      name: "a clock no tool can vouch for is trusted",
      timedatectl: "broken",
      chronyc: "missing",
      synchronized: true,
      source: "none",
    },
    {
      name: "a clock timedatectl reports unsynchronised is not",
      timedatectl: "no\n",
      chronyc: "missing",
      synchronized: false,
      source: "timedatectl",
    },
    {
      name: "a clock chrony reports unsynchronised is not",
      timedatectl: "broken",
      chronyc: CHRONY_UNSYNCED,
      synchronized: false,
      source: "chrony",
    },
    {
      name: "a synchronised clock stays so",
      timedatectl: "yes\n",
      chronyc: "missing",
      synchronized: true,
      source: "timedatectl",
    },
  ] as const)("$name", async ({ timedatectl, chronyc, synchronized, source }) => {
    const { run } = fakeRunner({ timedatectl, chronyc });
    const state = await createAutoClockProbe(createClockProbe({ fsRoot: fakeRoot(), run })).read();
    expect(state).toMatchObject({ synchronized, source, bootId: BOOT_ID });
    if (source === "none") expect(state.detail).toContain('terminal.clockTrust "auto"');
  });
});
