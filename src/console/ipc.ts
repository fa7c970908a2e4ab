import type { TerminalEvent } from "../terminal/events.js";

/** What the daemon sends its console process over the IPC channel. */
export type ToConsole = { type: "event"; event: TerminalEvent };
