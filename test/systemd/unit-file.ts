import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Every assignment of a unit file by "Section.Key", in order; comments and blank lines skipped. */
export function parseUnit(path: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = "";
  for (const raw of readFileSync(path, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      section = header[1];
      continue;
    }
    const equals = line.indexOf("=");
    if (equals < 0) throw new Error(`${path}: not a setting: ${JSON.stringify(line)}`);
    const key = `${section}.${line.slice(0, equals)}`;
    settings.set(key, [...(settings.get(key) ?? []), line.slice(equals + 1)]);
  }
  return settings;
}

const SYSTEM_UNITS = "/usr/lib/systemd/system";

/**
 * `systemd-analyze verify` of a unit in a scratch root holding the distribution's own units it
 * refers to and a stub at each of `executables` (where its Exec lines point), so that the unit is
 * checked without touching this machine's /opt or needing the programs installed.
 */
export function verifyUnit(name: string, unitText: string, executables: readonly string[]) {
  const root = mkdtempSync(join(tmpdir(), "timeclock-verify-"));
  try {
    mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
    cpSync(SYSTEM_UNITS, join(root, "usr/lib/systemd/system"), {
      recursive: true,
      verbatimSymlinks: true,
    });
    writeFileSync(join(root, "etc/systemd/system", name), unitText);
    for (const executable of executables) {
      const path = join(root, executable);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, "#!/bin/sh\n");
      chmodSync(path, 0o755);
    }
    return spawnSync("systemd-analyze", ["verify", `--root=${root}`, name], { encoding: "utf8" });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
