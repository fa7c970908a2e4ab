import type { ChildProcess, spawn as nodeSpawn } from "node:child_process";

export type SpawnFn = typeof nodeSpawn;

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Keeps the end of a stream's text, so that a dying tool's last words can be quoted in errors. */
export function collectTail(child: ChildProcess, stream: "stdout" | "stderr", limit = 2000) {
  let text = "";
  child[stream]?.setEncoding("utf8");
  child[stream]?.on("data", (chunk: string) => {
    text = (text + chunk).slice(-limit);
  });
  return () => text.trim();
}

/** Runs a short-lived tool; resolves to undefined when it is not installed. */
export function runTool(
  spawn: SpawnFn,
  command: string,
  args: readonly string[],
): Promise<ToolResult | undefined> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      resolve(undefined);
      return;
    }
    const stdout = collectTail(child, "stdout", 1_000_000);
    const stderr = collectTail(child, "stderr");
    child.on("error", () => resolve(undefined));
    child.on("close", (code) => resolve({ code, stdout: stdout(), stderr: stderr() }));
  });
}
