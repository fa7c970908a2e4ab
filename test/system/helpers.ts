import { execFileSync, spawn } from "node:child_process";
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/core/logger.js";

export function hasCommand(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export interface CapturedLogger {
  logger: Logger;
  lines: () => Array<Record<string, unknown>>;
}

/** A real pino logger whose JSON lines are kept for assertions. */
export function capturingLogger(): CapturedLogger {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: "debug", redactBadges: false }, destination);
  return {
    logger,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * Binds a unix datagram socket as systemd does for NOTIFY_SOCKET (Node cannot) and reports each
 * datagram it receives. File descriptors passed along (systemd-notify's barrier) are closed, which
 * is how the manager tells systemd-notify that the message was read.
 */
const RECEIVER = `
import json, os, socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
print(json.dumps({"bound": True}), flush=True)
while True:
    data, ancillary, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(64 * 4))
    fds = 0
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for i in range(0, len(payload) - len(payload) % 4, 4):
                os.close(int.from_bytes(payload[i:i + 4], sys.byteorder))
                fds += 1
    print(json.dumps({"message": data.decode(), "fds": fds}), flush=True)
`;

export interface NotifyReceiver {
  messages: string[];
  /** Resolves once `count` datagrams other than barriers have arrived. */
  waitFor(count: number): Promise<string[]>;
  close(): void;
}

export async function startNotifyReceiver(socketPath: string): Promise<NotifyReceiver> {
  const child = spawn("python3", ["-c", RECEIVER, socketPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const bound = new Promise<void>((resolve, reject) => {
    child.on("exit", (code) => reject(new Error(`receiver exited with ${code}: ${stderr}`)));
    child.stdout.on("data", (chunk) => {
      buffered += String(chunk);
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const event = JSON.parse(line) as { bound?: boolean; message?: string };
        if (event.bound) resolve();
        if (event.message !== undefined && event.message !== "BARRIER=1") {
          messages.push(event.message);
        }
      }
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await bound;
  return {
    messages,
    waitFor: async (count) => {
      while (messages.length < count) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return messages.slice(0, count);
    },
    close: () => {
      child.kill();
    },
  };
}
