import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../src/cli/program.js";

/**
 * `timeclock badges import` of a generated CSV, through the real command in this process: config,
 * database file, parse, checks, one transaction with an admin record per badge. Run once into an
 * empty mapping (every line added) and once more with the same file (every line updated).
 */

export interface BadgeImportResult {
  rows: number;
  addSeconds: number;
  updateSeconds: number;
  /** Rows per second of the first import. */
  addRowsPerSecond: number;
}

/** `rows` lines of distinct full IDs, each with an email and a name. */
export function badgeCsv(rows: number): string {
  const lines = ["badge,email,name,timeTypeId,projectId"];
  for (let i = 0; i < rows; i++) {
    const badge = (0x0a_0000_0000 + i * 7 + 1).toString(16).toUpperCase().padStart(10, "0");
    lines.push(`${badge},user${i}@example.com,User ${i},,`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

async function timedImport(configPath: string, file: string): Promise<number> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const errors: string[] = [];
  stdout.resume();
  stderr.on("data", (chunk) => errors.push(String(chunk)));
  const started = process.hrtime.bigint();
  const code = await runCli(["--config", configPath, "badges", "import", file], {
    env: {},
    stdout,
    stderr,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`badges import exited ${code}: ${errors.join("")}`);
  return seconds;
}

export async function measureBadgeImport(root: string, rows: number): Promise<BadgeImportResult> {
  const dir = mkdtempSync(join(root, "import-"));
  try {
    const file = join(dir, "badges.csv");
    writeFileSync(file, badgeCsv(rows));
    const configPath = join(dir, "config.json");
    writeFileSync(
      configPath,
      JSON.stringify({
        terminal: { dataDir: join(dir, "data") },
        server: { loginEmail: "admin@gtsandbox.en" },
        entry: { timeTypeId: "work" },
      }),
    );
    const addSeconds = await timedImport(configPath, file);
    const updateSeconds = await timedImport(configPath, file);
    return { rows, addSeconds, updateSeconds, addRowsPerSecond: rows / addSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
