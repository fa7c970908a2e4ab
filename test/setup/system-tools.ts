import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The system tools the tests run for real, checked once before any test starts (vitest
 * globalSetup), so that a machine without one hears which tool to install instead of reading
 * `spawn socat ENOENT` in a dozen failures. Tests that can do without a tool skip themselves
 * (shellcheck, libgpiod, systemd-analyze) and are not listed; add a tool here when tests need it.
 */
export interface SystemTool {
  /** The executable, looked up on PATH unless `paths` names where it lives. */
  command: string;
  /** Absolute places to look besides PATH, for tools that distributions keep off it. */
  paths?: readonly string[];
  /** What the tests use it for. */
  neededFor: string;
  /** The Debian package that brings it, as .ci/run installs it. */
  debianPackage: string;
}

/** Debian keeps PostgreSQL's server programs off PATH, one directory per major version. */
function debianPostgres(): string[] {
  try {
    return readdirSync("/usr/lib/postgresql").map((major) =>
      join("/usr/lib/postgresql", major, "bin", "initdb"),
    );
  } catch {
    return [];
  }
}

export const SYSTEM_TOOLS: readonly SystemTool[] = [
  {
    command: "socat",
    neededFor: "serial readers on pseudo-terminal pairs (readers, e2e and doctor tests)",
    debianPackage: "socat",
  },
  {
    command: "python3",
    neededFor: "a pseudo-terminal that no process holds (doctor's reader checks)",
    debianPackage: "python3",
  },
  {
    command: "chromium",
    paths: ["/usr/bin/chromium"],
    neededFor: "the web console's and the kiosk page's browser tests (Playwright drives it)",
    debianPackage: "chromium",
  },
  {
    command: "initdb",
    paths: debianPostgres(),
    neededFor: "a scratch PostgreSQL for site mode's tests (test/site)",
    debianPackage: "postgresql",
  },
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function isInstalled(tool: SystemTool, pathVariable = process.env.PATH ?? ""): boolean {
  const onPath = pathVariable
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, tool.command));
  return [...onPath, ...(tool.paths ?? [])].some(executable);
}

/** The message for the tools that are missing, or null when every one is there. */
export function missingToolsMessage(
  tools: readonly SystemTool[],
  pathVariable?: string,
): string | null {
  const missing = tools.filter((tool) => !isInstalled(tool, pathVariable));
  if (missing.length === 0) return null;
  const lines = missing.map((tool) => `  - ${tool.command}: for ${tool.neededFor}`);
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))].join(" ");
  return [
    `npm test needs ${missing.length === 1 ? "a system tool that is" : "system tools that are"} not installed:`,
    ...lines,
    `Install ${missing.length === 1 ? "it" : "them"} (Debian, Raspberry Pi OS: sudo apt-get install ${packages}) and run the tests again; .ci/run installs what CI needs.`,
  ].join("\n");
}

export default function setup(): void {
  const message = missingToolsMessage(SYSTEM_TOOLS);
  if (message) throw new Error(message);
}
