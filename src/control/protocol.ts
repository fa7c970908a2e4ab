import { join } from "node:path";
import * as z from "zod";

/**
 * The control channel between admin front ends (the CLI today, the web console next) and the
 * running daemon: a Unix socket in the data directory. A client connects, sends one request as a
 * line of JSON, reads one reply line, and closes. Every request carries the protocol version; a
 * daemon refuses versions and types it does not know with a reply, never by hanging up, so a
 * newer front end can tell "not supported" from "not running". See docs/control-channel.md.
 */

export const CONTROL_PROTOCOL_VERSION = 1;

/** The socket's name inside terminal.dataDir, the one directory the service may write to. */
export const CONTROL_SOCKET_NAME = "control.sock";

/** A request or reply longer than this is refused: nothing legitimate comes near it. */
export const MAX_LINE_BYTES = 64 * 1024;

export function controlSocketPath(dataDir: string): string {
  return join(dataDir, CONTROL_SOCKET_NAME);
}

/** Up to this many ids travel with a change; `count` says how many there were in all. */
export const MAX_IDS = 1000;

const ids = z.array(z.string().min(1).max(200)).max(MAX_IDS);
const count = z.number().int().min(0);

/** What an admin changed in the outbox; the daemon looks for due entries at once. */
const entriesChanged = z.object({
  type: z.literal("entries-changed"),
  action: z.enum(["retry", "edit", "discard", "review-book"]),
  count,
  entryIds: ids,
});

/** What an admin changed in the badge mapping; the next tap reads the new mapping. */
const badgesChanged = z.object({
  type: z.literal("badges-changed"),
  action: z.enum(["add", "update", "remove", "import"]),
  count,
  badgeIds: ids,
});

/** Is a daemon listening, and which one. */
const ping = z.object({ type: z.literal("ping") });

const armId = z.string().min(1).max(100);

/**
 * Enrolment: the next badge read at the reader within a minute is captured for an admin instead
 * of being journalled as a tap. `by` names the admin, for the log. A new arming replaces one
 * still waiting.
 */
const enrolArm = z.object({ type: z.literal("enrol-arm"), by: z.string().min(1).max(200) });

/** How an arming stands: still waiting, captured (with the badge), expired or cancelled. */
const enrolState = z.object({ type: z.literal("enrol-state"), armId });

/** Ends an arming that is still waiting. */
const enrolCancel = z.object({ type: z.literal("enrol-cancel"), armId });

/**
 * A touch button of the kiosk page: the next tap means "in", "out" or "break", as if the function
 * key of that name had been pressed.
 */
const doorKey = z.object({ type: z.literal("door-key"), key: z.enum(["in", "out", "break"]) });

/**
 * Forgotten badge, from the kiosk page: who may tap by PIN (the badges with a PIN for their
 * owner; none while display.kiosk.pin is off), and a PIN typed for one of them. The daemon checks
 * the PIN and journals the tap; the PIN is never logged or echoed.
 */
const pinPeople = z.object({ type: z.literal("pin-people") });
const pinTap = z.object({
  type: z.literal("pin-tap"),
  badgeId: z.string().regex(/^[0-9A-F]{10}$/, "must be 10 upper-case hex characters"),
  pin: z.string().max(32),
});

export const controlRequestSchema = z.discriminatedUnion("type", [
  ping,
  entriesChanged,
  badgesChanged,
  enrolArm,
  enrolState,
  enrolCancel,
  doorKey,
  pinPeople,
  pinTap,
]);

export type ControlRequest = z.infer<typeof controlRequestSchema>;
export type ControlRequestType = ControlRequest["type"];

/** A request as it travels: the version beside the message. */
export type ControlEnvelope = ControlRequest & { v: typeof CONTROL_PROTOCOL_VERSION };

export type ControlErrorCode = "bad-request" | "unsupported-version" | "unknown-type" | "failed";

export type EnrolmentState = "armed" | "captured" | "expired" | "cancelled" | "replaced";

/** An arming as the daemon reports it; instants as ISO 8601 UTC. */
export interface EnrolmentView {
  armId: string;
  by: string;
  state: EnrolmentState;
  armedAt: string;
  /** When a waiting arming ends by itself. */
  expiresAt: string;
  /** Once captured: the badge as the reader read it. */
  badge?: { badgeId: string; knownBits: 24 | 32 | 40 };
  capturedAt?: string;
}

/** Someone who may tap by PIN, for the kiosk's name picker. */
export interface PinPerson {
  badgeId: string;
  name: string;
  /** ISO 8601 UTC while wrong PINs keep the badge locked; null otherwise. */
  lockedUntil: string | null;
}

/** What a PIN typed at the door came to. */
export type PinTapResult =
  /** The tap was journalled (as a badge tap of that badge, with the source "pin"). */
  | { outcome: "tapped"; tapId: number; tap: "clock-in" | "clock-out" | "ignored" | "refused" }
  /** `left`: wrong PINs still allowed before the badge locks. */
  | { outcome: "wrong"; left: number }
  | { outcome: "locked"; until: string }
  /** Too many PINs in the last minute over all badges. */
  | { outcome: "busy" }
  /** The badge has no PIN for its owner (cleared or changed meanwhile). */
  | { outcome: "no-pin" }
  /** display.kiosk.pin is off. */
  | { outcome: "off" }
  /** The PIN was right but the tap could not be stored (the log says why). */
  | { outcome: "failed" };

export type ControlReply =
  | { ok: true; type: "pong"; pid: number; startedAt: string; name: string }
  | { ok: true; type: "done"; detail: string }
  | { ok: true; type: "enrolment"; enrolment: EnrolmentView | null }
  | { ok: true; type: "pin-people"; enabled: boolean; people: PinPerson[] }
  | { ok: true; type: "pin-tap"; result: PinTapResult }
  | { ok: false; error: { code: ControlErrorCode; message: string } };

export type ParsedRequest =
  | { ok: true; request: ControlRequest }
  | { ok: false; reply: ControlReply & { ok: false } };

function refusal(code: ControlErrorCode, message: string): ParsedRequest {
  return { ok: false, reply: { ok: false, error: { code, message } } };
}

/** Reads one request line; every way it can be wrong gets a reply that says so. */
export function parseRequestLine(line: string): ParsedRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return refusal("bad-request", "the request is not a line of JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return refusal("bad-request", "the request must be a JSON object");
  }
  const { v, ...message } = raw as Record<string, unknown>;
  if (v !== CONTROL_PROTOCOL_VERSION) {
    return refusal(
      "unsupported-version",
      `protocol version ${JSON.stringify(v)} is not supported; this daemon speaks ${CONTROL_PROTOCOL_VERSION}`,
    );
  }
  const known = controlRequestSchema.options.map((option) => option.shape.type.value);
  if (!known.includes(message.type as ControlRequestType)) {
    return refusal(
      "unknown-type",
      `message type ${JSON.stringify(message.type)} is unknown; this daemon knows ${known.join(", ")}`,
    );
  }
  const parsed = controlRequestSchema.safeParse(message);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return refusal(
      "bad-request",
      `${String(message.type)}: ${first?.path.join(".") || "message"} ${first?.message ?? "is invalid"}`,
    );
  }
  return { ok: true, request: parsed.data };
}

export function encodeRequest(request: ControlRequest): string {
  const envelope: ControlEnvelope = { v: CONTROL_PROTOCOL_VERSION, ...request };
  return `${JSON.stringify(envelope)}\n`;
}

export function encodeReply(reply: ControlReply): string {
  return `${JSON.stringify(reply)}\n`;
}
