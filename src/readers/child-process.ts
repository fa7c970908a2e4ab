import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";

/** A helper process whose output the reader reads: stdin closed, stdout and stderr piped. */
export type ChildWithOutput = ChildProcessByStdio<null, Readable, Readable>;

/** Starts a helper process; tests swap it to run a stand-in. */
export type SpawnChild = (command: string, args: string[]) => ChildWithOutput;

export const spawnChild: SpawnChild = (command, args) =>
  spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });

/** Ends the process and resolves once it has gone, so that stop() leaves nothing behind. */
export function stopChild(child: ChildWithOutput): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Keeps the last part of a stream's text, for explaining why a process ended. */
export function collectTail(stream: Readable, limit = 4000): () => string {
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-limit);
  });
  return () => text;
}
