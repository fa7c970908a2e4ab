import { type ExecFileException, execFile } from "node:child_process";

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** A command that could not be run or did not succeed; `code` is "ENOENT" when it is not installed. */
export class CommandFailedError extends Error {
  constructor(
    readonly command: string,
    readonly code: string | number | undefined,
    readonly stderr: string,
    reason: string,
  ) {
    super(`${command} ${reason}${stderr ? `: ${stderr}` : ""}`);
    this.name = "CommandFailedError";
  }
}

function reasonOf(error: ExecFileException): string {
  if (error.code === "ENOENT") return "is not installed (not found in PATH)";
  if (error.killed) return "did not finish in time and was stopped";
  if (typeof error.code === "number") return `exited with status ${error.code}`;
  if (error.signal) return `was killed by ${error.signal}`;
  return `could not be run (${error.code ?? error.message})`;
}

/** Runs a program without a shell and resolves to its stdout. */
export function runCommand(file: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: options.env, timeout: options.timeoutMs, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const command = [file, ...args].join(" ");
          reject(
            new CommandFailedError(
              command,
              error.code ?? undefined,
              stderr.trim(),
              reasonOf(error),
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}
