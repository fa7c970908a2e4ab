import { describe, expect, it } from "vitest";
import { CommandFailedError, runCommand } from "../../src/system/run-command.js";

describe("runCommand", () => {
  it("resolves to the program's stdout", async () => {
    await expect(runCommand("sh", ["-c", "printf 'yes\\n'"], { timeoutMs: 10_000 })).resolves.toBe(
      "yes\n",
    );
  });

  it("passes the given environment", async () => {
    const output = await runCommand("sh", ["-c", 'printf %s "$NOTIFY_SOCKET"'], {
      timeoutMs: 10_000,
      env: { NOTIFY_SOCKET: "/run/x.sock" },
    });
    expect(output).toBe("/run/x.sock");
  });

  it.each([
    [["timeclock-no-such-program", []], "ENOENT", "timeclock-no-such-program is not installed"],
    [
      ["sh", ["-c", "echo 'Failed to connect to bus' >&2; exit 3"]],
      3,
      "exited with status 3: Failed to connect to bus",
    ],
  ] as const)("rejects %j naming the command and why", async ([file, args], code, message) => {
    const failure = runCommand(file, [...args], { timeoutMs: 10_000 });
    await expect(failure).rejects.toBeInstanceOf(CommandFailedError);
    await expect(failure).rejects.toMatchObject({
      code,
      message: expect.stringContaining(message),
    });
  });

  it("stops a program that does not finish", async () => {
    const failure = runCommand("sleep", ["30"], { timeoutMs: 50 });
    await expect(failure).rejects.toThrow("sleep 30 did not finish in time and was stopped");
  });
});
