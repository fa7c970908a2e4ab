import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

/**
 * The console's stylesheet and script, read once at start and served from memory with an ETag:
 * two small files do not need a static-file server, and nothing outside this list can be asked
 * for. They sit in assets/console/ beside dist/ and src/ alike.
 */
const FILES: Record<string, string> = {
  "console.css": "text/css; charset=utf-8",
  "console.js": "text/javascript; charset=utf-8",
};

export function registerStaticFiles(app: FastifyInstance): void {
  // Browsers ask for it on every site; there is none, and the answer needs no session.
  app.get("/favicon.ico", { config: { public: true } }, (_request, reply) =>
    reply.code(204).send(),
  );
  for (const [name, type] of Object.entries(FILES)) {
    const body = readFileSync(new URL(`../../assets/console/${name}`, import.meta.url));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
    app.get(`/static/${name}`, { config: { public: true } }, (request, reply) => {
      reply.header("etag", etag).header("cache-control", "no-cache");
      if (request.headers["if-none-match"] === etag) return reply.code(304).send();
      return reply.type(type).send(body);
    });
  }
}
