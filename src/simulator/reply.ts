/** What a route answers, built before anything is written so a fault can still drop it unsent. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A refusal that becomes `{"error": message}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const JSON_TYPE = "application/json; charset=utf-8";

export function jsonReply(status: number, value: unknown): Reply {
  return { status, headers: { "Content-Type": JSON_TYPE }, body: JSON.stringify(value) };
}

export function textReply(status: number, text: string): Reply {
  return { status, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: text };
}

export function errorReply(status: number, message: string, headers = {}): Reply {
  const reply = jsonReply(status, { error: message });
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

export function emptyReply(): Reply {
  return { status: 204, headers: {}, body: "" };
}

/** JSON.stringify, shortened so a huge value cannot flood an error message. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** An instant as ISO 8601 UTC to the second, the unambiguous form for messages. */
export function utc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}
