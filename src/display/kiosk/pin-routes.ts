import { createHmac, randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { DaemonLink } from "../../admin/index.js";
import type { PinTapResult } from "../../control/protocol.js";
import type { Logger } from "../../core/logger.js";
import type { DoorWords } from "../words.js";

/**
 * The forgotten badge on the kiosk page: the names of those with a PIN, and a PIN typed for one
 * of them, both answered by the daemon, which checks the PIN and journals the tap. The page never
 * sees a badge ID: each person is a token made from the badge with a key of this process. Off
 * (display.kiosk.pin.enabled false), neither route exists, so the page can list no names.
 */

/** A PIN's slow hash takes about a second on a Pi Zero, and PINs are checked one at a time. */
const PIN_TIMEOUT_MS = 20_000;

const pinBody = z.object({
  person: z.string().min(1).max(64),
  pin: z.string().max(32),
});

export interface PinRouteDeps {
  words: DoorWords;
  logger: Logger;
  daemon: DaemonLink;
  isChange: (request: FastifyRequest) => boolean;
  refuse: (reply: FastifyReply) => FastifyReply;
}

/** What the page shows for an answer of the daemon; "" when the tap went through. */
function answerText(words: DoorWords, result: PinTapResult): string {
  const t = words.t.pin;
  switch (result.outcome) {
    case "tapped":
      return result.tap === "refused" ? t.refused : "";
    case "wrong":
      return t.wrong(result.left);
    case "locked":
      return t.locked(words.time(result.until));
    case "busy":
      return t.busy;
    case "no-pin":
    case "off":
      return t.noPin;
    case "failed":
      return t.failed;
  }
}

export function registerPinRoutes(app: FastifyInstance, deps: PinRouteDeps): void {
  const key = randomBytes(32);
  const tokenOf = (badgeId: string) =>
    createHmac("sha256", key).update(badgeId).digest("base64url").slice(0, 22);
  /** Tokens handed out, back to their badge. */
  const badges = new Map<string, string>();

  app.get("/people", async (request, reply) => {
    // A custom header no other site's page may send: the names stay on this screen.
    if (request.headers["x-timeclock-kiosk"] !== "1") return deps.refuse(reply);
    const answer = await deps.daemon.ask({ type: "pin-people" });
    if (!answer.answered || answer.reply.type !== "pin-people") {
      deps.logger.warn(
        { detail: answer.answered ? "" : answer.note.detail },
        "kiosk could not get the PIN names",
      );
      return reply.code(503).send({ ok: false, text: deps.words.t.pin.failed });
    }
    if (!answer.reply.enabled) return reply.code(404).send();
    badges.clear();
    const people = answer.reply.people.map((person) => {
      const token = tokenOf(person.badgeId);
      badges.set(token, person.badgeId);
      return {
        id: token,
        name: person.name,
        locked: person.lockedUntil
          ? deps.words.t.pin.lockedNote(deps.words.time(person.lockedUntil))
          : null,
      };
    });
    return reply.send({ ok: true, people });
  });

  app.post("/pin", async (request, reply) => {
    if (!deps.isChange(request)) return deps.refuse(reply);
    const body = pinBody.safeParse(request.body);
    if (!body.success)
      return reply.code(400).type("text/plain").send("person and pin are needed\n");
    const badgeId = badges.get(body.data.person);
    if (!badgeId) return reply.send({ ok: false, outcome: "no-pin", text: deps.words.t.pin.noPin });
    const answer = await deps.daemon.ask(
      { type: "pin-tap", badgeId, pin: body.data.pin },
      { timeoutMs: PIN_TIMEOUT_MS },
    );
    if (!answer.answered || answer.reply.type !== "pin-tap") {
      deps.logger.warn(
        { detail: answer.answered ? "" : answer.note.detail },
        "a PIN could not reach the terminal",
      );
      return reply.code(503).send({ ok: false, outcome: "failed", text: deps.words.t.pin.failed });
    }
    const result = answer.reply.result;
    const text = answerText(deps.words, result);
    return reply.send({
      ok: result.outcome === "tapped" && text === "",
      outcome: result.outcome,
      text,
    });
  });
}
