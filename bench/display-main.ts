#!/usr/bin/env node
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderTable } from "../src/cli/output.js";
import {
  DISPLAY_SCENARIOS,
  type DisplayScenarioResult,
  runDisplayScenario,
} from "./display-latency.js";
import { displayRows, displayTargets } from "./display-report.js";
import { benchUsers } from "./fixtures.js";

/**
 * The screen at the door's part of `npm run bench` alone, after `npm run build && npm run
 * build:bench`: `node dist-bench/bench/display-main.js [seconds of taps per scenario, default 20]`.
 */
const seconds = Number(process.argv[2] ?? 20);
const root = resolve("bench/results/work");
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(join(root, "run-"));
try {
  const results: DisplayScenarioResult[] = [];
  for (const scenario of DISPLAY_SCENARIOS) {
    process.stderr.write(`bench: screen at the door: ${scenario.name}\n`);
    results.push(await runDisplayScenario(dir, benchUsers(200), scenario, seconds, 20_000));
  }
  process.stdout.write(renderTable(displayRows(results)));
  process.stdout.write(
    renderTable(displayTargets(results).map((t) => ({ ...t, met: t.met ? "yes" : "NO" }))),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
