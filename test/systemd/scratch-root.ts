import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

export const INSTALL = "systemd/install.sh";
export const UNINSTALL = "systemd/uninstall.sh";

/**
 * A small built package laid out like this checkout after `npm ci`: one production and one
 * development dependency, so tests do not depend on (or race with) the real build.
 */
export function fixtureSource(): string {
  const source = mkdtempSync(join(tmpdir(), "timeclock-source-"));
  const files: Record<string, string> = {
    "dist/cli/main.js": 'console.log("timeclock fixture");\n',
    "package.json": JSON.stringify({
      name: "timeclock",
      version: "0.0.0",
      dependencies: { "prod-dep": "1.0.0" },
      devDependencies: { "dev-dep": "1.0.0" },
    }),
    "package-lock.json": JSON.stringify({
      name: "timeclock",
      version: "0.0.0",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": {
          name: "timeclock",
          version: "0.0.0",
          dependencies: { "prod-dep": "1.0.0" },
          devDependencies: { "dev-dep": "1.0.0" },
        },
        "node_modules/prod-dep": { version: "1.0.0" },
        "node_modules/dev-dep": { version: "1.0.0", dev: true },
      },
    }),
    "node_modules/prod-dep/package.json": '{"name":"prod-dep","version":"1.0.0"}',
    "node_modules/dev-dep/package.json": '{"name":"dev-dep","version":"1.0.0"}',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(source, path, ".."), { recursive: true });
    writeFileSync(join(source, path), content);
  }
  mkdirSync(join(source, "systemd"));
  for (const file of ["config.example.json", "systemd/timeclock.service", "systemd/README.md"]) {
    copyFileSync(file, join(source, file));
  }
  return source;
}

/** An empty filesystem root with the account files useradd needs and a pre-existing dialout group. */
export function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "timeclock-install-"));
  mkdirSync(join(root, "etc"));
  writeFileSync(join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
  writeFileSync(join(root, "etc/group"), "root:x:0:\ndialout:x:20:\n");
  writeFileSync(join(root, "etc/shadow"), "root:*:20000:0:99999:7:::\n");
  writeFileSync(join(root, "etc/gshadow"), "root:*::\ndialout:*::\n");
  chmodSync(join(root, "etc/shadow"), 0o640);
  chmodSync(join(root, "etc/gshadow"), 0o640);
  return root;
}

export interface Run {
  status: number | null;
  output: string;
}

/** Runs a script with stdin closed, as from a provisioning tool: nothing can be asked. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const base = { ...process.env };
  delete base.TIMECLOCK_API_PASSWORD;
  const result = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...base, ...env },
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

export interface Entry {
  mode: string;
  owner: string;
  content: string;
}

/** Every path under root with its type, mode, owner and content hash (or link target). */
export function snapshot(root: string): Record<string, Entry> {
  const entries: Record<string, Entry> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      let content = "";
      if (stat.isSymbolicLink()) content = `-> ${readlinkSync(path)}`;
      else if (stat.isFile()) {
        content = createHash("sha256").update(readFileSync(path)).digest("hex");
      }
      entries[relative(root, path)] = {
        mode: (stat.mode & 0o170777).toString(8),
        owner: `${stat.uid}:${stat.gid}`,
        content,
      };
      if (stat.isDirectory()) walk(path);
    }
  };
  walk(root);
  return entries;
}

/** Mode bits and numeric owner of one path, e.g. { mode: "640", uid: 0, gid: 999 }. */
export function modeOf(path: string): { mode: string; uid: number; gid: number } {
  const stat = lstatSync(path);
  return { mode: (stat.mode & 0o7777).toString(8), uid: stat.uid, gid: stat.gid };
}

/** The numeric id in column 3 of a passwd or group line, and its members in column 4. */
export function accountOf(
  root: string,
  file: "passwd" | "group",
  name: string,
): { id: number; members: string[]; line: string } | undefined {
  const line = readFileSync(join(root, "etc", file), "utf8")
    .split("\n")
    .find((candidate) => candidate.startsWith(`${name}:`));
  if (line === undefined) return undefined;
  const fields = line.split(":");
  return {
    id: Number(fields[2]),
    members: fields[3] ? fields[3].split(",").filter(Boolean) : [],
    line,
  };
}
