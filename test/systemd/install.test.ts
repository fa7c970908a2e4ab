import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasCommand } from "../system/helpers.js";
import {
  accountOf,
  fixtureSource,
  INSTALL,
  modeOf,
  runScript,
  scratchRoot,
  snapshot,
  UNINSTALL,
} from "./scratch-root.js";

const SECRET = "s3cr3t-api-password";
const ENABLED_LINK = "etc/systemd/system/multi-user.target.wants/timeclock.service";

/** Whether a path exists without following symlinks, which point into the real root. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
const isRoot = process.getuid?.() === 0;
const tools = ["useradd", "groupadd", "usermod", "systemctl", "npm"].every(hasCommand);

function passwordFile(text = `${SECRET}\n`): string {
  const path = join(mkdtempSync(join(tmpdir(), "timeclock-pw-")), "pw");
  writeFileSync(path, text);
  return path;
}

interface Installed {
  root: string;
  source: string;
  output: string;
}

function installed(source = fixtureSource()): Installed {
  const root = scratchRoot();
  const run = runScript(INSTALL, [...sourceArgs(root, source), "--password-file", passwordFile()]);
  expect(run.status, run.output).toBe(0);
  return { root, source, output: run.output };
}

function sourceArgs(root: string, source: string): string[] {
  return ["--root", root, "--source", source];
}

describe("install.sh and uninstall.sh without installing", () => {
  it.each([INSTALL, UNINSTALL])("%s parses (bash -n) and explains itself with --help", (script) => {
    expect(runScript("-n", [script]).status).toBe(0);
    const help = runScript(script, ["--help"]);
    expect(help.status).toBe(0);
    expect(help.output).toMatch(/^Usage: sudo .* \[OPTIONS\]/);
    expect(help.output).toContain("--root DIR");
  });

  it.each([INSTALL, UNINSTALL])("%s refuses an unknown option with exit 64", (script) => {
    const run = runScript(script, ["--frobnicate"]);
    expect(run.status).toBe(64);
    expect(run.output).toContain('unknown option "--frobnicate"; see --help');
  });

  it.skipIf(!hasCommand("shellcheck"))("passes shellcheck", () => {
    const run = runScript("-c", [`shellcheck ${INSTALL} ${UNINSTALL}`]);
    expect(run.output).toBe("");
    expect(run.status).toBe(0);
  });
});

// install.sh sets file owners and edits passwd/group, which needs root even in a scratch root.
describe.skipIf(!isRoot || !tools)("install.sh --root into a scratch root", () => {
  let first: Installed | undefined;
  /** One install shared by the tests that only look at it. */
  const firstInstall = (): Installed => {
    first ??= installed();
    return first;
  };

  it("creates the user in the device groups, creating the missing ones", () => {
    const { root } = firstInstall();
    const user = accountOf(root, "passwd", "timeclock");
    const group = accountOf(root, "group", "timeclock");
    expect(user?.line).toMatch(
      /^timeclock:x:\d+:\d+:timeclock badge terminal:\/var\/lib\/timeclock:\/usr\/sbin\/nologin$/,
    );
    expect(user?.line.split(":")[3]).toBe(String(group?.id));
    expect(accountOf(root, "group", "dialout")).toMatchObject({ id: 20, members: ["timeclock"] });
    expect(accountOf(root, "group", "gpio")?.members).toEqual(["timeclock"]);
    expect(accountOf(root, "group", "input")?.members).toEqual(["timeclock"]);
    expect(accountOf(root, "group", "i2c")?.members).toEqual(["timeclock"]);
  });

  it("installs program, unit, config, password and state directory with the right owners", () => {
    const { root, source, output } = firstInstall();
    const uid = accountOf(root, "passwd", "timeclock")?.id;
    const gid = accountOf(root, "group", "timeclock")?.id;
    expect(modeOf(join(root, "etc/timeclock/config.json"))).toEqual({ mode: "640", uid: 0, gid });
    expect(readFileSync(join(root, "etc/timeclock/config.json"), "utf8")).toBe(
      readFileSync(join(source, "config.example.json"), "utf8"),
    );
    expect(modeOf(join(root, "etc/timeclock/apipassword"))).toEqual({
      mode: "600",
      uid: 0,
      gid: 0,
    });
    expect(readFileSync(join(root, "etc/timeclock/apipassword"), "utf8")).toBe(`${SECRET}\n`);
    expect(modeOf(join(root, "var/lib/timeclock"))).toEqual({ mode: "750", uid, gid });
    expect(readFileSync(join(root, "etc/systemd/system/timeclock.service"), "utf8")).toBe(
      readFileSync("systemd/timeclock.service", "utf8"),
    );
    expect(readlinkSync(join(root, ENABLED_LINK))).toBe("/etc/systemd/system/timeclock.service");
    expect(modeOf(join(root, "opt/timeclock/bin/timeclock"))).toEqual({
      mode: "755",
      uid: 0,
      gid: 0,
    });
    expect(readFileSync(join(root, "opt/timeclock/bin/timeclock"), "utf8")).toMatch(
      /^#!\/bin\/sh\n(#.*\n)+exec "\/\S+\/node" \$\{TIMECLOCK_NODE_FLAGS-\} "\/opt\/timeclock\/dist\/cli\/main\.js" "\$@"\n$/,
    );
    expect(output).not.toContain(SECRET);
  });

  it("installs only production dependencies", () => {
    const { root } = firstInstall();
    const modules = join(root, "opt/timeclock/node_modules");
    expect(readFileSync(join(modules, "prod-dep/package.json"), "utf8")).toContain("prod-dep");
    expect(present(join(modules, "dev-dep"))).toBe(false);
  });

  it("installs this checkout so that the installed copy runs", () => {
    const { root } = installed(process.cwd());
    try {
      const modules = join(root, "opt/timeclock/node_modules");
      expect(existsSync(join(modules, "better-sqlite3"))).toBe(true);
      expect(existsSync(join(modules, "typescript"))).toBe(false);
      expect(existsSync(join(modules, "vitest"))).toBe(false);
      const help = runScript("-c", [`node ${root}/opt/timeclock/dist/cli/main.js --help`]);
      expect(help.output).toContain("Usage: timeclock");
      expect(help.status).toBe(0);
    } finally {
      // The production packages of this checkout take tens of megabytes.
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("changes nothing when run again, and keeps an edited config", () => {
    const { root, source } = installed();
    const edited = readFileSync(join(root, "etc/timeclock/config.json"), "utf8").replace(
      "front-door",
      "back-door",
    );
    writeFileSync(join(root, "etc/timeclock/config.json"), edited);
    const before = snapshot(root);
    const again = runScript(INSTALL, sourceArgs(root, source));
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("/opt/timeclock is up to date");
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(join(root, "etc/timeclock/config.json"), "utf8")).toBe(edited);
  });

  it("replaces the password from TIMECLOCK_API_PASSWORD and keeps it root-only", () => {
    const { root, source } = installed();
    const run = runScript(INSTALL, sourceArgs(root, source), {
      TIMECLOCK_API_PASSWORD: "new-password",
    });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain("wrote /etc/timeclock/apipassword");
    expect(run.output).not.toContain("new-password");
    expect(readFileSync(join(root, "etc/timeclock/apipassword"), "utf8")).toBe("new-password\n");
    expect(modeOf(join(root, "etc/timeclock/apipassword"))).toEqual({
      mode: "600",
      uid: 0,
      gid: 0,
    });
  });

  it.each([
    [[], "no API password: pass --password-file FILE, set TIMECLOCK_API_PASSWORD"],
    [["--password-file", "/nonexistent/pw"], '--password-file "/nonexistent/pw" cannot be read'],
    [["--password-file", "EMPTY"], "is empty"],
  ])(
    "refuses a first install without a usable password (%j) before changing anything",
    (args, message) => {
      const root = scratchRoot();
      const before = snapshot(root);
      const argv = args.map((arg) => (arg === "EMPTY" ? passwordFile("\n") : arg));
      const run = runScript(INSTALL, [...sourceArgs(root, fixtureSource()), ...argv]);
      expect(run.status).toBe(1);
      expect(run.output).toContain(message);
      expect(snapshot(root)).toEqual(before);
    },
  );

  it("refuses a source that was not built, naming what is missing", () => {
    const source = mkdtempSync(join(tmpdir(), "timeclock-unbuilt-"));
    const run = runScript(INSTALL, ["--root", scratchRoot(), "--source", source]);
    expect(run.status).toBe(1);
    expect(run.output).toContain(
      `${source}/dist/cli/main.js is missing; run "npm ci" in ${source}`,
    );
  });

  it.each([
    ["node", '--node "node" must be an absolute path'],
    ["/root/.nvm/versions/node/v20.0.0/bin/node", "is hidden from the service (ProtectHome=yes)"],
  ])("refuses --node %s, which the service could not run", (node, message) => {
    const root = scratchRoot();
    const before = snapshot(root);
    const args = [...sourceArgs(root, fixtureSource()), "--node", node];
    const run = runScript(INSTALL, [...args, "--password-file", passwordFile()]);
    expect(run.status).toBe(1);
    expect(run.output).toContain(message);
    expect(snapshot(root)).toEqual(before);
  });
});

describe.skipIf(!isRoot || !tools)("uninstall.sh --root", () => {
  it("removes program and unit but keeps the journal and the configuration", () => {
    const { root } = installed();
    writeFileSync(join(root, "var/lib/timeclock/timeclock.db"), "journal");
    expect(present(join(root, ENABLED_LINK))).toBe(true);
    const run = runScript(UNINSTALL, ["--root", root]);
    expect(run.status, run.output).toBe(0);
    expect(existsSync(join(root, "opt/timeclock"))).toBe(false);
    expect(existsSync(join(root, "etc/systemd/system/timeclock.service"))).toBe(false);
    expect(present(join(root, ENABLED_LINK))).toBe(false);
    expect(readFileSync(join(root, "var/lib/timeclock/timeclock.db"), "utf8")).toBe("journal");
    expect(readFileSync(join(root, "etc/timeclock/apipassword"), "utf8")).toBe(`${SECRET}\n`);
    expect(existsSync(join(root, "etc/timeclock/config.json"))).toBe(true);
    expect(accountOf(root, "passwd", "timeclock")).toBeDefined();
    expect(run.output).toContain("kept /var/lib/timeclock and /etc/timeclock");
  });

  it("with --purge also deletes data, configuration and the user, but not shared groups", () => {
    const { root } = installed();
    const run = runScript(UNINSTALL, ["--root", root, "--purge"]);
    expect(run.status, run.output).toBe(0);
    for (const path of ["opt/timeclock", "var/lib/timeclock", "etc/timeclock"]) {
      expect(existsSync(join(root, path)), path).toBe(false);
    }
    expect(accountOf(root, "passwd", "timeclock")).toBeUndefined();
    expect(accountOf(root, "group", "timeclock")).toBeUndefined();
    expect(accountOf(root, "group", "dialout")?.id).toBe(20);
    expect(accountOf(root, "group", "gpio")).toBeDefined();
  });

  it("can run again after everything is gone", () => {
    const { root } = installed();
    expect(runScript(UNINSTALL, ["--root", root, "--purge"]).status).toBe(0);
    const before = snapshot(root);
    const again = runScript(UNINSTALL, ["--root", root, "--purge"]);
    expect(again.status, again.output).toBe(0);
    expect(snapshot(root)).toEqual(before);
  });

  it("lets a later install carry on with the kept configuration", () => {
    const { root, source } = installed();
    writeFileSync(join(root, "etc/timeclock/config.json"), "{}\n");
    expect(runScript(UNINSTALL, ["--root", root]).status).toBe(0);
    const again = runScript(INSTALL, sourceArgs(root, source));
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("kept /etc/timeclock/apipassword");
    expect(readFileSync(join(root, "etc/timeclock/config.json"), "utf8")).toBe("{}\n");
  });
});
