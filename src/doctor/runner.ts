import { GoodTimeError } from "../goodtime/errors.js";
import { consoleCheck } from "./console-check.js";
import { gpioCheck, readerCheck } from "./device-checks.js";
import { clockCheck, configCheck, dataCheck } from "./local-checks.js";
import { badgeUsersCheck, catalogCheck, credentialsCheck, serverCheck } from "./server-checks.js";
import { siteCheck } from "./site-check.js";
import type { Check, CheckResult, DoctorDeps, DoctorState, Finding, Requirement } from "./types.js";
import { writeTestCheck } from "./write-test.js";

/** The checks in the order they run; later ones lean on what earlier ones found. */
export const CHECKS: readonly Check[] = [
  configCheck,
  dataCheck,
  readerCheck,
  gpioCheck,
  clockCheck,
  consoleCheck,
  siteCheck,
  serverCheck,
  credentialsCheck,
  catalogCheck,
  badgeUsersCheck,
  writeTestCheck,
];

const SKIP_NOTES: Record<Requirement, string> = {
  config: "skipped: the configuration could not be read",
  server: "skipped: the server is not reachable",
  login: "skipped: the login failed",
};

function unmet(need: Requirement, state: DoctorState): boolean {
  if (need === "config") return state.loaded === undefined;
  if (need === "server") return !state.serverReachable;
  return !state.loggedIn;
}

function unexpected(error: unknown): Finding {
  if (error instanceof GoodTimeError) {
    return {
      status: "fail",
      finding: `${error.message} [${error.code}]`,
      fix: "run the matching timeclock server command (hello, check, timetypes, users) to see more",
    };
  }
  return {
    status: "fail",
    finding: `the check itself failed: ${(error as Error).message ?? String(error)}`,
    fix: "report this with the output of timeclock doctor --json",
  };
}

/** Findings quote tools and servers, whose messages may span lines; a report line must not. */
function oneLine(finding: Finding): Finding {
  const flat = (text: string) => text.replace(/\s*\n\s*/g, " ").trim();
  return {
    status: finding.status,
    finding: flat(finding.finding),
    ...(finding.fix === undefined ? {} : { fix: flat(finding.fix) }),
  };
}

/** Runs every enabled check in order; a check whose prerequisites failed is skipped with a note. */
export async function runDoctor(
  deps: DoctorDeps,
  checks: readonly Check[] = CHECKS,
): Promise<CheckResult[]> {
  const state: DoctorState = { serverReachable: false, loggedIn: false };
  const results: CheckResult[] = [];
  try {
    for (const check of checks) {
      if (check.enabled && !check.enabled(deps)) continue;
      const missing = check.needs.find((need) => unmet(need, state));
      let finding: Finding;
      if (missing) {
        finding = { status: "skip", finding: SKIP_NOTES[missing] };
      } else {
        try {
          finding = await check.run(deps, state);
        } catch (error) {
          finding = unexpected(error);
        }
      }
      results.push({ check: check.name, ...oneLine(finding) });
    }
  } finally {
    state.client?.close();
  }
  return results;
}

/** "critical" when any check failed, "warning" when any warned, else "ok": what `status` says too. */
export function doctorLevel(results: readonly CheckResult[]): "ok" | "warning" | "critical" {
  if (results.some((result) => result.status === "fail")) return "critical";
  return results.some((result) => result.status === "warn") ? "warning" : "ok";
}
