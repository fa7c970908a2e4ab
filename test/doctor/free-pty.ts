import { spawn } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * A pseudo-terminal whose device side nobody holds open, as a plugged-in reader looks before the
 * service opens it. socat keeps both sides of its pairs open, which the doctor rightly reports, so
 * this one is made by Python's pty module: it keeps only the master, until its stdin closes.
 */
export interface FreePty {
  /** A symlink in the test's directory, like /dev/serial0 is one. */
  readonly devicePath: string;
  /** The /dev/pts/N it points to. */
  readonly ptsPath: string;
  close(): Promise<void>;
}

const SCRIPT = [
  "import os, pty, sys",
  "master, device = pty.openpty()",
  "print(os.ttyname(device), flush=True)",
  "os.close(device)",
  "sys.stdin.read()",
].join("\n");

export async function openFreePty(dir: string): Promise<FreePty> {
  const child = spawn("python3", ["-c", SCRIPT], { stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const ptsPath = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    lines.once("line", resolve);
    exited.then(() => reject(new Error("python3 ended before it made a pseudo-terminal")));
  });
  const devicePath = join(dir, "reader-device");
  symlinkSync(ptsPath, devicePath);
  return {
    devicePath,
    ptsPath,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
