import { expect } from "vitest";
import { SEED_ADMIN, type Simulator } from "../../src/simulator/index.js";

/** Plain-fetch helpers speaking to a simulator the way any HTTP client would. */

export async function loginToken(simulator: Simulator): Promise<string> {
  const response = await fetch(`${simulator.url}/api/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      loginemail: SEED_ADMIN.loginEmail,
      apipassword: SEED_ADMIN.apiPassword,
    }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  const body = (await response.json()) as { token: string };
  return body.token;
}

export interface Api {
  get(path: string): Promise<Response>;
  post(path: string, body: unknown): Promise<Response>;
  delete(path: string): Promise<Response>;
}

export function api(simulator: Simulator, token: string): Api {
  const headers = { Authorization: `Bearer ${token}` };
  return {
    get: (path) => fetch(`${simulator.url}${path}`, { headers }),
    post: (path, body) =>
      fetch(`${simulator.url}${path}`, {
        method: "POST",
        headers: { ...headers, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    delete: (path) => fetch(`${simulator.url}${path}`, { method: "DELETE", headers }),
  };
}

export function timeEntriesQuery(
  version: "/api/time-v2.1" | "/api/time",
  userEmail: string,
  start: string,
  end: string,
): string {
  const query = new URLSearchParams({ useremail: userEmail, start, end });
  return `${version}/timeentries?${query}`;
}

export async function errorOf(response: Response): Promise<string> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: string };
  return body.error;
}
