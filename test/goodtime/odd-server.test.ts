import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientFor, failureOf } from "./support.js";

/**
 * A real loopback server that answers what the simulator never would: nonsense shapes, odd
 * login bodies, redirects. The simulator stays strict; this covers the client's defences.
 */
type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let close: (() => Promise<void>) | undefined;

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/goodtime-rs`;
}

/** Logs in with a fixed token and answers every other path with `body`. */
function answering(status: number, body: string, headers: Record<string, string> = {}): Handler {
  return (request, response) => {
    request.resume();
    if (request.url?.endsWith("/api/login")) {
      response.end(JSON.stringify({ token: "opaque-token-1" }));
      return;
    }
    response.writeHead(status, headers).end(body);
  };
}

afterEach(async () => {
  await close?.();
  close = undefined;
});

describe("answers the client cannot use", () => {
  it.each([
    ["timeTypes", '[{"id":"x"}]', /GET \/goodtime-rs\/api\/time-v2\.1\/timetypes.*0\.name/],
    ["timeTypes", '{"id":"x","name":"y"}', /timetypes.*expected array/],
    ["users", "<html>maintenance</html>", /users.*a web page \(200\) instead of the API/],
    ["createTimeEntry", "<html>portal</html>", /createtimeentry.*web page.*may or may not/],
    ["createTimeEntry", "OK", /createtimeentry.*not JSON \(it starts "OK"\).*may or may not/],
    ["users", '[{"email":"a@b"}]', /users.*0\.loginemail/],
    ["createTimeEntry", "[]", /createtimeentry/],
    [
      "timeEntries",
      '[{"id":"1","starttime":"yesterday","endtime":"x","useremail":"a@b","timetypeid":"t"}]',
      /cannot read "yesterday" as an instant in time format "iso-offset"/,
    ],
  ] as const)(
    "%s answering %s is a bad response: an endpoint problem for a read, ambiguous for a create",
    async (method, body, message) => {
      const client = clientFor(await serve(answering(200, body)));
      const calls = {
        timeTypes: () => client.timeTypes(),
        users: () => client.users(),
        timeEntries: () =>
          client.timeEntries({ userEmail: "a@b.example", from: new Date(0), to: new Date(1000) }),
        createTimeEntry: () =>
          client.createTimeEntry({
            userEmail: "a@b.example",
            start: new Date(0),
            end: new Date(60_000),
            timeTypeId: "t",
            projectId: null,
          }),
      };
      const error = await failureOf(calls[method]());
      client.close();
      const kind = method === "createTimeEntry" ? "ambiguous" : "endpoint";
      const code = body.startsWith("<") ? "GT_NOT_API" : "GT_BAD_RESPONSE";
      expect(error).toMatchObject({ kind, code });
      expect((error as Error).message).toMatch(message);
    },
  );

  it("accepts a bare {id} from createtimeentry and numeric ids", async () => {
    const client = clientFor(await serve(answering(200, '{"id": 4711}')));
    const created = await client.createTimeEntry({
      userEmail: "a@b.example",
      start: new Date(0),
      end: new Date(60_000),
      timeTypeId: "t",
      projectId: null,
    });
    client.close();
    expect(created).toEqual({ id: "4711" });
  });

  it("refuses a login answer without a token, saying what was looked for", async () => {
    const url = await serve((request, response) => {
      request.resume();
      response.end(JSON.stringify({ session: "s" }));
    });
    const client = clientFor(url);
    const error = await failureOf(client.login());
    client.close();
    expect(error).toMatchObject({ kind: "endpoint", code: "GT_BAD_RESPONSE" });
    expect((error as Error).message).toContain("looked for token, jwt, access_token");
  });

  it("does not follow a redirect, and names where it points", async () => {
    const url = await serve(
      answering(301, "", { location: "https://getgoodtime.com/goodtime-rs/api/hello/sayhello" }),
    );
    const client = clientFor(url);
    const error = await failureOf(client.hello());
    client.close();
    expect(error).toMatchObject({ kind: "endpoint", code: "GT_REDIRECT", status: 301 });
    expect((error as Error).message).toContain("to https://getgoodtime.com/goodtime-rs/api");
  });

  it("sends what the API page documents for a create in v1.1: timecategoryid and no comment", async () => {
    const bodies: unknown[] = [];
    const url = await serve((request, response) => {
      let text = "";
      request.on("data", (chunk) => {
        text += chunk;
      });
      request.on("end", () => {
        if (request.url?.endsWith("/api/login")) {
          response.end("opaque-token-2");
          return;
        }
        bodies.push({
          url: request.url,
          auth: request.headers.authorization,
          body: JSON.parse(text),
        });
        response.end('[{"id":"e1"}]');
      });
    });
    const client = clientFor(url, { apiVersion: "v1.1" });
    await client.createTimeEntry({
      userEmail: "a@b.example",
      start: new Date("2026-03-29T05:59:00Z"),
      end: new Date("2026-03-29T14:00:00Z"),
      timeTypeId: "cat-1",
      projectId: "p-1",
      comment: "dropped in v1.1",
    });
    client.close();
    expect(bodies).toEqual([
      {
        url: "/goodtime-rs/api/time/createtimeentry",
        auth: "Bearer opaque-token-2",
        body: {
          starttime: "2026-03-29T07:59:00+02:00",
          endtime: "2026-03-29T16:00:00+02:00",
          useremail: "a@b.example",
          timecategoryid: "cat-1",
          projectid: "p-1",
        },
      },
    ]);
  });
});
