import { createConnection } from "node:net";
import { FirstLine } from "./line-reader.js";
import { type ControlReply, type ControlRequest, encodeRequest } from "./protocol.js";

/** Long enough for a daemon on a slow Pi that is busy booking; short enough for an admin waiting. */
export const CONTROL_TIMEOUT_MS = 3_000;

export type Delivery =
  | { delivered: true; reply: ControlReply }
  | { delivered: false; reason: "not-running" | "no-access" | "no-answer"; detail: string };

const SAVED = "the change is saved, and the terminal sees it at its next clock-out or restart";

function undelivered(reason: "not-running" | "no-access" | "no-answer", path: string, why: string) {
  const detail = {
    "not-running": `the terminal is not running (nothing listens on ${path}); it sees the change when it starts`,
    "no-access": `cannot reach the terminal on ${path} (${why}); ${SAVED}. Run admin commands as the service user (sudo -u timeclock timeclock ...) for changes to take effect at once`,
    "no-answer": `the terminal did not answer on ${path} (${why}); ${SAVED}`,
  }[reason];
  return { delivered: false as const, reason, detail };
}

/** Sends one request to the daemon and waits for its reply; never throws. */
export function sendControl(
  path: string,
  request: ControlRequest,
  timeoutMs = CONTROL_TIMEOUT_MS,
): Promise<Delivery> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const line = new FirstLine();
    let settled = false;
    const finish = (delivery: Delivery) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(delivery);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(undelivered("no-answer", path, `no reply within ${timeoutMs} ms`)),
    );
    socket.once("connect", () => socket.write(encodeRequest(request)));
    socket.on("data", (chunk: Buffer) => {
      const complete = line.push(chunk);
      if (complete === undefined) return;
      if (complete === "too-long") {
        finish(undelivered("no-answer", path, "the reply was too long"));
        return;
      }
      try {
        finish({ delivered: true, reply: JSON.parse(complete) as ControlReply });
      } catch {
        finish(undelivered("no-answer", path, "the reply was not JSON"));
      }
    });
    socket.once("end", () => finish(undelivered("no-answer", path, "it closed without a reply")));
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") {
        finish(undelivered("not-running", path, error.code));
      } else if (error.code === "EACCES" || error.code === "EPERM") {
        finish(undelivered("no-access", path, error.code));
      } else {
        finish(undelivered("no-answer", path, error.code ?? error.message));
      }
    });
  });
}
