#!/usr/bin/env node
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderTable } from "../src/cli/output.js";
import {
  CONSOLE_SCENARIOS,
  type ConsoleScenarioResult,
  runConsoleScenario,
} from "./console-load.js";
import { consoleRows, consoleTargets } from "./console-report.js";
import { benchUsers } from "./fixtures.js";

/**
 * The web console's part of `npm run bench` alone, after `npm run build && npm run build:bench`:
 * `node dist-bench/bench/console-main.js [seconds of taps per scenario, default 20]`.
 */
const seconds = Number(process.argv[2] ?? 20);
const root = resolve("bench/results/work");
mkdirSync(root, { recursive: true });
const dir = mkdtempSync(join(root, "run-"));
try {
  const results: ConsoleScenarioResult[] = [];
  for (const scenario of CONSOLE_SCENARIOS) {
    process.stderr.write(`bench: web console: ${scenario.name}\n`);
    results.push(await runConsoleScenario(dir, benchUsers(200), scenario, seconds, 20_000));
  }
  process.stdout.write(renderTable(consoleRows(results)));
  process.stdout.write(
    renderTable(consoleTargets(results).map((t) => ({ ...t, met: t.met ? "yes" : "NO" }))),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
