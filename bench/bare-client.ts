/**
 * The drain's floor: a client that does nothing but HTTP. Run as its own process (as the daemon is)
 * by `measureDrainFloor`: it logs in once, then keeps `concurrency` createtimeentry requests in
 * flight over keep-alive connections until `count` are answered, and prints one JSON line with the
 * rate. Whatever the simulator, loopback and Node's HTTP cost per request shows up here too; what
 * the daemon adds on top is its own (got, SQLite, the log).
 */
import { Agent, request } from "node:http";

export interface BareClientArgs {
  url: string;
  loginEmail: string;
  apiPassword: string;
  userEmails: readonly string[];
  timeTypeId: string;
  concurrency: number;
  count: number;
}

export interface BareClientResult {
  requests: number;
  /** From the first request of the measured stretch to the last answer, seconds. */
  seconds: number;
  cpuMsPerRequest: number;
}

async function login(args: BareClientArgs): Promise<string> {
  const response = await fetch(`${args.url}/api/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ loginemail: args.loginEmail, apipassword: args.apiPassword }),
  });
  if (!response.ok) throw new Error(`login: HTTP ${response.status}`);
  const answer = (await response.json()) as { token?: string } | string;
  return typeof answer === "string" ? answer : String(answer.token);
}

function post(agent: Agent, url: URL, token: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          Authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          (res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function runBareClient(args: BareClientArgs): Promise<BareClientResult> {
  const token = await login(args);
  const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency });
  const url = new URL(`${args.url}/api/time-v2.1/createtimeentry`);
  const base = Date.UTC(2020, 0, 1);
  let next = 0;
  const body = () => {
    const n = next++;
    const start = base + n * 3_600_000;
    return JSON.stringify({
      starttime: new Date(start).toISOString(),
      endtime: new Date(start + 1_800_000).toISOString(),
      useremail: args.userEmails[n % args.userEmails.length],
      timetypeid: args.timeTypeId,
    });
  };
  // One request per connection first, so that the measured stretch starts with the sockets open.
  await Promise.all(
    Array.from({ length: args.concurrency }, () => post(agent, url, token, body())),
  );
  const measured = args.count;
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  let sent = 0;
  await Promise.all(
    Array.from({ length: args.concurrency }, async () => {
      while (sent < measured) {
        sent++;
        await post(agent, url, token, body());
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return {
    requests: measured,
    seconds,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / measured,
  };
}

if (process.argv[1]?.endsWith("bare-client.js")) {
  const args = JSON.parse(process.argv[2] ?? "{}") as BareClientArgs;
  runBareClient(args).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`bare client: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
