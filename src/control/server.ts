import { chmodSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { Logger } from "../core/logger.js";
import { FirstLine } from "./line-reader.js";
import {
  type ControlReply,
  type ControlRequest,
  encodeReply,
  parseRequestLine,
} from "./protocol.js";

/** A client that connects and then says nothing is cut off after this long. */
const IDLE_MS = 5_000;

/** Linux limits a socket path to 107 bytes (sun_path holds 108 with the final NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

export type ControlHandler = (request: ControlRequest) => Promise<ControlReply> | ControlReply;

export interface ControlServer {
  readonly path: string;
  close(): Promise<void>;
}

/** Whether something answers on the socket: a live daemon, as opposed to a file left by a crash. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

function serve(socket: Socket, handle: ControlHandler, logger: Logger): void {
  const line = new FirstLine();
  let answered = false;
  const reply = (message: ControlReply) => {
    answered = true;
    socket.end(encodeReply(message));
  };
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on("error", (error) => logger.debug({ err: error }, "control client went away"));
  socket.on("data", (chunk: Buffer) => {
    if (answered) return;
    const complete = line.push(chunk);
    if (complete === undefined) return;
    if (complete === "too-long") {
      reply({ ok: false, error: { code: "bad-request", message: "the request line is too long" } });
      return;
    }
    const parsed = parseRequestLine(complete);
    if (!parsed.ok) {
      logger.warn({ error: parsed.reply.error }, "control request refused");
      reply(parsed.reply);
      return;
    }
    answered = true;
    Promise.resolve()
      .then(() => handle(parsed.request))
      .then(
        (message) => socket.end(encodeReply(message)),
        (error: unknown) => {
          logger.error({ err: error, type: parsed.request.type }, "control request failed");
          socket.end(
            encodeReply({
              ok: false,
              error: { code: "failed", message: (error as Error)?.message ?? String(error) },
            }),
          );
        },
      );
  });
}

/**
 * Listens on the control socket; null, with the reason logged, when it cannot. The daemon works
 * without the channel (admin changes then wait for the next tap or the sync's next wake-up), so
 * no failure here stops the terminal.
 */
export async function startControlServer(
  path: string,
  handle: ControlHandler,
  logger: Logger,
): Promise<ControlServer | null> {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    logger.warn(
      { path },
      `control channel off: the socket path is longer than ${MAX_SOCKET_PATH_BYTES} bytes; choose a shorter terminal.dataDir`,
    );
    return null;
  }
  if (await answers(path)) {
    logger.error(
      { path },
      "control channel off: another process answers on the control socket; is a second terminal running on this data directory?",
    );
    return null;
  }
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      logger.warn({ err: error, path }, "control channel off: a stale socket cannot be removed");
      return null;
    }
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    serve(socket, handle, logger);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(path, () => {
        server.off("error", reject);
        resolve();
      });
    });
    // Only the service user (and root) may steer the daemon; admins run as that user.
    chmodSync(path, 0o600);
  } catch (error) {
    logger.warn({ err: error, path }, "control channel off: cannot listen on the socket");
    server.close();
    return null;
  }
  server.on("error", (error) => logger.error({ err: error }, "control channel failed"));
  logger.info({ path }, "control channel listening");
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
