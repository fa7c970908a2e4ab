import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { unitNodeFlags } from "../../bench/unit-flags.js";
import { COMMAND_MODULES, commandNameIn } from "../../src/cli/command-registry.js";
import { buildProgram, programVersion } from "../../src/cli/program.js";
import { runCaptured } from "../helpers/cli.js";
import { RunProcess } from "../helpers/run-process.js";
import { tempDir } from "../helpers/temp.js";

/**
 * Commands are built by their modules only when they run: `--help` lists them all from the
 * registry, each command's own help is the one its module builds, and `timeclock run` loads none
 * of the other commands' code.
 */

const context = () => ({ env: {}, stdout: new PassThrough(), stderr: new PassThrough() });

/** Every command path of a program, e.g. ["badges", "add"]. */
function paths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...paths(sub, path)];
  });
}

describe("commandNameIn", () => {
  it.each([
    [[], undefined],
    [["--help"], undefined],
    [["--version"], undefined],
    [["run"], "run"],
    [["run", "--config", "x.json"], "run"],
    [["--config", "badges", "status"], "status"],
    [["-c", "/etc/t.json", "badges", "add", "0F00A1B2C3"], "badges"],
    [["--config=/etc/t.json", "queue"], "queue"],
    [["help", "badges"], "badges"],
    [["help"], undefined],
    [["-c", "x", "help", "-c", "y", "retry"], "retry"],
    [["frob"], "frob"],
  ] as [string[], string | undefined][])("%j names %s", (argv, name) => {
    expect(commandNameIn(argv)).toBe(name);
  });
});

describe("the command registry", () => {
  it("lists each command as its module builds it: top-level help is the same lazy or loaded", async () => {
    const lazy = await buildProgram(context(), null);
    const loaded = await buildProgram(context(), "all");
    expect(lazy.commands.map((c) => c.name())).toEqual(loaded.commands.map((c) => c.name()));
    expect(lazy.helpInformation()).toBe(loaded.helpInformation());
    const registered = COMMAND_MODULES.flatMap((module) => module.commands.map((c) => c.name));
    expect(registered).toEqual(loaded.commands.map((c) => c.name()));
  });

  it("builds only the module of the command that runs", async () => {
    const program = await buildProgram(context(), "retry");
    const built = program.commands.filter((c) => c.commands.length > 0 || c.options.length > 1);
    expect(built.map((c) => c.name())).toEqual(["queue", "retry", "discard"]);
  });

  it("gives every command path its own help, and --version, through the real command line", async () => {
    const all = paths(await buildProgram(context(), "all"));
    expect(all.length).toBeGreaterThan(30);
    for (const path of all) {
      const help = await runCaptured([...path, "--help"]);
      expect(help.code, path.join(" ")).toBe(0);
      expect(help.stdout, path.join(" ")).toMatch(
        new RegExp(`^Usage: timeclock ${path.join(" ")} \\[options\\]`),
      );
      const version = await runCaptured(["--config", "/nonexistent.json", ...path, "--version"]);
      expect(version, path.join(" ")).toMatchObject({
        code: 0,
        stdout: `timeclock ${programVersion()}\n`,
      });
    }
    const viaHelp = await runCaptured(["help", "export"]);
    expect(viaHelp.stdout).toContain("--from <date>");
    const unknown = await runCaptured(["frob"]);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("unknown command 'frob'");
  });
});

describe("timeclock run", () => {
  it("loads none of the other commands' code, the simulator, the admin layer, the web server or site mode's PostgreSQL client, run as the unit runs it", async () => {
    const dir = tempDir("timeclock-lazy-");
    const hooks = join(dir, "hooks.mjs");
    writeFileSync(
      hooks,
      `import { writeSync } from "node:fs";
export async function load(url, context, next) { writeSync(2, "loaded " + url + "\\n"); return next(url, context); }`,
    );
    const register = join(dir, "register.mjs");
    writeFileSync(
      register,
      `import { register } from "node:module";
import { writeSync } from "node:fs";
register(${JSON.stringify(`file://${hooks}`)});
process.on("exit", () => writeSync(2, "builtins " + JSON.stringify(process.moduleLoadList) + "\\n"));`,
    );
    const configPath = join(dir, "config.json");
    writeFileSync(
      configPath,
      JSON.stringify({
        terminal: { name: "lazy-door", dataDir: join(dir, "data"), clockTrust: "system" },
        server: { baseUrl: "http://127.0.0.1:9/", loginEmail: "owner@gtsandbox.en" },
        reader: { type: "stdin" },
        entry: { timeTypeId: "1" },
      }),
    );
    // With the unit's Node flags: --no-expose-wasm ends a daemon that loads Node's fetch (undici).
    const run = new RunProcess(configPath, {}, [...unitNodeFlags(), `--import=${register}`]);
    await run.waitFor("ready", (line) => line.msg === "terminal ready");
    run.child.stdin?.end();
    expect(await run.exited).toBe(0);
    const loaded = [...run.output.matchAll(/^loaded file:\/\/(\S+)$/gm)].map(([, path]) =>
      relative(process.cwd(), path as string),
    );
    // run loads the build's bundle (scripts/bundle-run.mjs) and, from the rest of dist/, only the
    // small entry that picks it: a module of dist/ loaded beside the bundle would be a second copy.
    expect(loaded).toContain("dist/bundle/run.js");
    expect(
      loaded.filter((path) => path.startsWith("dist/") && !path.startsWith("dist/bundle/")),
    ).toEqual(["dist/cli/main.js", "dist/core/exit-codes.js", "dist/cli/command-registry.js"]);
    const bundled = JSON.parse(readFileSync("dist/bundle/run.inputs.json", "utf8")) as string[];
    expect(bundled).toContain("dist/terminal/daemon.js");
    const unwanted = [...loaded, ...bundled].filter(
      (path) =>
        (/^dist\/cli\/commands\//.test(path) && path !== "dist/cli/commands/run.js") ||
        /^dist\/(simulator|doctor|console\/(?!supervisor|config-schema))/.test(path) ||
        (/^dist\/admin\//.test(path) && path !== "dist/admin/errors.js") ||
        /^node_modules\/(fastify|@fastify|selfsigned|read|got)\//.test(path),
    );
    // Site mode's parts are in the bundle, run only for a site door: pg is never loaded here (the
    // unit's flags would end the daemon if it were evaluated, as it loads Node's fetch).
    expect(loaded.filter((path) => path.startsWith("node_modules/pg/"))).toEqual([]);
    expect(unwanted).toEqual([]);
    // Node's HTTP client with TLS is loaded with got, at the first request: under the unit's flags
    // Node compiles each of its own modules anew, and these cost about 30 ms of start-up.
    const builtins = JSON.parse(/^builtins (.*)$/m.exec(run.output)?.[1] ?? "[]") as string[];
    expect(builtins).toContain("NativeModule net");
    expect(
      builtins.filter((name) => /^NativeModule (http|https|tls|_http_client)$/.test(name)),
    ).toEqual([]);
  });
});
