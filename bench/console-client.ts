import { Agent, request } from "node:https";

/**
 * A small HTTPS client for the console benchmark: keeps its cookies, accepts the self-signed
 * certificate (the benchmark made it), logs in with the form token, and times each page to its
 * last byte.
 */
export class ConsoleClient {
  readonly #base: URL;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  readonly #cookies = new Map<string, string>();
  readonly #from: string;

  /** `from`: the loopback address to connect from, so that clients count as different addresses. */
  constructor(base: string, from = "127.0.0.1") {
    this.#base = new URL(base);
    this.#from = from;
  }

  async fetch(method: "GET" | "POST", path: string, form?: Record<string, string>) {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const outgoing = request(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          path,
          method,
          agent: this.#agent,
          localAddress: this.#from,
          headers: {
            cookie: [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; "),
            ...(body
              ? {
                  "content-type": "application/x-www-form-urlencoded",
                  "content-length": Buffer.byteLength(body),
                }
              : {}),
          },
        },
        (response) => {
          for (const cookie of response.headers["set-cookie"] ?? []) {
            const [pair = ""] = cookie.split(";");
            const at = pair.indexOf("=");
            this.#cookies.set(pair.slice(0, at), pair.slice(at + 1));
          }
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString(),
              ms: Number(process.hrtime.bigint() - started) / 1e6,
            }),
          );
        },
      );
      outgoing.once("error", reject);
      outgoing.end(body);
    });
  }

  async login(password: string): Promise<void> {
    const page = await this.fetch("GET", "/login");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const answer = await this.fetch("POST", "/login", { password, _csrf: token, next: "/" });
    if (answer.status !== 303) throw new Error(`console login failed with ${answer.status}`);
  }

  close(): void {
    this.#agent.destroy();
  }
}
