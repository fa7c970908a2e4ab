import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/exit-codes.js";
import { SEED_ADMIN, SEED_TIME_TYPES } from "../../src/simulator/index.js";
import { runCaptured } from "../helpers/cli.js";

const CLI = resolve("dist/cli/main.js");

const run = (argv: string[]) => runCaptured(argv);

/** Every line a stream printed, and a way to wait for one. */
function lineReader(stream: NodeJS.ReadableStream) {
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; done: (line: string) => void }[] = [];
  createInterface({ input: stream }).on("line", (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) waiter.done(line);
  });
  const waitFor = (match: (line: string) => boolean) =>
    new Promise<string>((done) => {
      const seen = lines.find(match);
      if (seen !== undefined) done(seen);
      else waiters.push({ match, done });
    });
  return { lines, waitFor };
}

describe("timeclock simulator", () => {
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((done) => busy.close(() => done())));

  it("runs as a process, prints what a config needs, serves, and stops cleanly on SIGTERM", async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), "timeclock-sim-cli-")), "state.json");
    const child = spawn(
      process.execPath,
      [CLI, "simulator", "--port", "0", "--state", stateFile, "--log-level", "silent"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((done) => child.once("close", done));
    const output = lineReader(child.stdout);
    await output.waitFor((line) => line.startsWith("stop with"));
    const printed = [...output.lines];
    const baseUrl = printed.find((line) => line.startsWith("base URL: "))?.slice(10) ?? "";
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/goodtime-rs$/);
    expect(printed).toContain(`admin login email: ${SEED_ADMIN.loginEmail}`);
    expect(printed).toContain("API password: 12345678 (seed)");
    expect(printed).toContain("user: anna.schmidt@gtsandbox.en");
    expect(printed).toContain(`time type: ${SEED_TIME_TYPES.workingHours.id} working hours`);
    const hello = await fetch(`${baseUrl}/api/hello/sayhello`);
    expect(await hello.text()).toBe("Hello!");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output.lines.at(-1)).toBe("stopped on SIGTERM");
  });

  it("prints one JSON line with --json", async () => {
    const child = spawn(process.execPath, [CLI, "simulator", "--port", "0", "--json"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const exited = new Promise<number | null>((done) => child.once("close", done));
    const first = await lineReader(child.stdout).waitFor(() => true);
    const summary = JSON.parse(first);
    expect(summary.loginEmail).toBe(SEED_ADMIN.loginEmail);
    expect(summary.timeTypes).toContainEqual(SEED_TIME_TYPES.workingHours);
    const state = await fetch(summary.control.state);
    expect(((await state.json()) as { users: unknown[] }).users).toHaveLength(6);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });

  it.each([
    [["--port", "http"], ExitCode.usage, '--port "http" must be a whole number from 0 to 65535'],
    [["--token-lifetime", "0"], ExitCode.usage, '--token-lifetime "0" must be a whole number'],
    [["--time-format", "HH:mm"], ExitCode.usage, 'timeFormat "HH:mm" cannot carry'],
    [["--time-zone", "Mars/Base"], ExitCode.usage, 'timeZone "Mars/Base" is not an IANA'],
    [["--seed", "huge"], ExitCode.usage, "Allowed choices are company, empty"],
  ])("refuses %j with exit code %i", async (argv, code, message) => {
    const result = await run(["simulator", ...argv]);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });

  it("refuses a damaged state file with the config exit code", async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), "timeclock-sim-cli-")), "state.json");
    writeFileSync(stateFile, "[]");
    const result = await run(["simulator", "--port", "0", "--state", stateFile]);
    expect(result.code).toBe(ExitCode.config);
    expect(result.stderr).toContain(`simulator state file "${stateFile}" is not a simulator state`);
  });

  it("names a port that is taken", async () => {
    const result = await run(["simulator", "--port", String(busyPort)]);
    expect(result.code).toBe(ExitCode.network);
    expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${busyPort} (EADDRINUSE)`);
  });
});
