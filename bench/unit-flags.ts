import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const UNIT = resolve("systemd/timeclock.service");

/**
 * The Node options timeclock.service gives the daemon (TIMECLOCK_NODE_FLAGS), so that the
 * benchmark's daemons run as the installed one does.
 */
export function unitNodeFlags(unitPath = UNIT): string[] {
  for (const line of readFileSync(unitPath, "utf8").split("\n")) {
    const match = /^Environment="?TIMECLOCK_NODE_FLAGS=([^"]*)"?$/.exec(line.trim());
    if (match) return (match[1] ?? "").split(/\s+/).filter(Boolean);
  }
  return [];
}
