import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `timeclock queue | head` closes the pipe before the command has printed everything: the
 * command ends with its own exit status and no stack trace on stderr.
 */

const CLI = resolve("dist/cli/main.js");

function runIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  // Closed before Node has even started the program, so its first write finds no reader.
  child.stdout.destroy();
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr += text;
  });
  return new Promise((done) => child.on("close", (code) => done({ code, stderr })));
}

describe("output into a pipe closed by its reader", () => {
  it.each([[["--help"]], [["display", "test", "--help"]], [["config", "reference"]]])(
    "timeclock %j ends with exit 0 and nothing on stderr",
    async (args) => {
      expect(await runIntoClosedPipe(args)).toEqual({ code: 0, stderr: "" });
    },
  );
});
