import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Two linked pseudo-terminals made by socat: the terminal opens one, the test writes into the other. */
export interface PtyPair {
  /** What the reader under test opens, like /dev/serial0. */
  readonly devicePath: string;
  /** Where the test writes the bytes a badge module would send. */
  readonly hostPath: string;
  close(): Promise<void>;
}

export async function startPtyPair(dir: string, name = "reader"): Promise<PtyPair> {
  const devicePath = join(dir, `${name}-device`);
  const hostPath = join(dir, `${name}-host`);
  const socat: ChildProcess = spawn(
    "socat",
    [`pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 100 && !(existsSync(devicePath) && existsSync(hostPath)); i++)
    await sleep(50);
  if (!existsSync(devicePath))
    throw new Error("socat did not create the pseudo-terminal pair (is socat installed?)");
  return {
    devicePath,
    hostPath,
    close: async () => {
      if (socat.exitCode !== null) return;
      const exited = new Promise((resolve) => socat.once("exit", resolve));
      socat.kill("SIGTERM");
      await exited;
    },
  };
}
