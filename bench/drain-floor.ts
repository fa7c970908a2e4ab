import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { SEED_ADMIN, SEED_TIME_TYPES } from "../src/simulator/index.js";
import type { BareClientArgs, BareClientResult } from "./bare-client.js";
import type { BenchUser } from "./fixtures.js";

const BARE_CLIENT = resolve("dist-bench/bench/bare-client.js");

/**
 * What a client that does nothing but HTTP gets out of the same simulator at the same concurrency:
 * `bare-client.js` in its own process, as the daemon runs in its own. The drain's bound assumes
 * the server's latency is all a booking costs; this shows how much of the rest the benchmark's
 * server, loopback and Node's HTTP take before the daemon does anything.
 */
export function measureBareClient(
  url: string,
  users: readonly BenchUser[],
  concurrency: number,
  count: number,
): Promise<BareClientResult> {
  const args: BareClientArgs = {
    url,
    loginEmail: SEED_ADMIN.loginEmail,
    apiPassword: SEED_ADMIN.apiPassword,
    userEmails: users.map((user) => user.email),
    timeTypeId: SEED_TIME_TYPES.workingHours.id,
    concurrency,
    count,
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BARE_CLIENT, JSON.stringify(args)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => {
      if (code === 0) done(JSON.parse(out) as BareClientResult);
      else fail(new Error(`bare HTTP client exited with ${code}: ${err.trim()}`));
    });
  });
}
