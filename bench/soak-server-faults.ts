import type { Simulator } from "../src/simulator/index.js";
import { randomInt } from "./random.js";

/**
 * Answers about the endpoint rather than an entry, for the crash soak: a captive portal in front
 * of GoodTime, a wrong path, a redirect, garbage, a server that quotes the request back, answers
 * far too large. None of them may park an entry, and those that come after GoodTime stored an
 * entry ("after-commit") must end in a lookup that adopts it, never in a second booking.
 * Refusals (400, 409, 422) are left out on purpose: they park entries, which the soak's final
 * check ("every entry booked") would count against the run.
 */
const SERVER_FAULTS: Record<string, (sim: Simulator, count: number) => void> = {
  "portal-login": (sim, count) => sim.faults.answerNext(count, { kind: "html" }, { path: "login" }),
  "404-login": (sim, count) =>
    sim.faults.failNext(count, 404, { path: "login", body: "Not Found" }),
  "redirect-lookup": (sim, count) =>
    sim.faults.answerNext(count, { kind: "redirect" }, { path: "timeentries" }),
  "garbage-lookup": (sim, count) =>
    sim.faults.answerNext(count, { kind: "garbage" }, { path: "timeentries" }),
  "garbage-create-stored": (sim, count) =>
    sim.faults.answerNext(
      count,
      { kind: "garbage" },
      { path: "createtimeentry", when: "after-commit" },
    ),
  "portal-404-create": (sim, count) =>
    sim.faults.answerNext(count, { kind: "html", status: 404 }, { path: "createtimeentry" }),
  "echo-create-500": (sim, count) =>
    sim.faults.answerNext(
      count,
      { kind: "echo", status: 500, encoding: "base64" },
      {
        path: "createtimeentry",
      },
    ),
  "huge-create-stored": (sim, count) =>
    sim.faults.answerNext(
      count,
      { kind: "huge", bytes: 3 * 1024 * 1024 },
      { path: "createtimeentry", when: "after-commit" },
    ),
  "huge-login": (sim, count) =>
    sim.faults.answerNext(count, { kind: "huge", bytes: 3 * 1024 * 1024 }, { path: "login" }),
};

/** Arms each server fault with probability `share`, hitting 1 to 3 requests; counts what it armed. */
export function injectServerFaults(
  sim: Simulator,
  random: () => number,
  counts: Record<string, number>,
  share = 0.25,
): void {
  for (const [name, apply] of Object.entries(SERVER_FAULTS)) {
    if (random() >= share) continue;
    apply(sim, 1 + randomInt(random, 3));
    counts[name] = (counts[name] ?? 0) + 1;
  }
}
