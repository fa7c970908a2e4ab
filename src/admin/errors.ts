/**
 * One error class for every admin use case. `code` is stable, so that the CLI picks its exit code
 * and the web console its HTTP status from it without parsing the message; the message is for
 * people: it names the thing, quotes the value, and says what to do.
 */
export const ADMIN_ERROR_CODES = [
  /** A value given is not valid (a badge, an email, a time, an empty reason). */
  "ADM_INVALID",
  /** Ten plain digits that the terminal cannot tell apart as hex ID or card decimal. */
  "ADM_DIGITS_NEEDED",
  /** No such entry, review or badge mapping. */
  "ADM_NOT_FOUND",
  /** The entry or review is in a state that does not allow this (booked, sending, resolved). */
  "ADM_WRONG_STATE",
  /** It changed between reading and writing (the daemon or another admin got there first). */
  "ADM_CHANGED",
  /** A partial badge ID matches several mappings; the full ID must say which. */
  "ADM_SEVERAL_MATCH",
  /** The entry's badge is no longer mapped, so there is nobody to book it for. */
  "ADM_UNMAPPED",
  /** The shift would overlap another entry of the user. */
  "ADM_OVERLAP",
  /** A file was refused as a whole; `problems` lists every bad line. */
  "ADM_BAD_FILE",
  /** GoodTime does not know the user, time type or project given (`--check`). */
  "ADM_SERVER_CHECK",
  /** The running terminal is needed (its reader, for enrolment) and cannot be reached. */
  "ADM_NO_TERMINAL",
  /** No badge was tapped while enrolment was armed, or it was cancelled or replaced. */
  "ADM_NO_TAP",
  /** Site mode: the site database, where badges are changed once for every door, does not answer. */
  "ADM_NO_SITE",
] as const;

export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number];

export class AdminError extends Error {
  readonly code: AdminErrorCode;
  /** For ADM_BAD_FILE and ADM_SERVER_CHECK: one line per problem, e.g. "line 4: ...". */
  readonly problems: readonly string[];

  constructor(code: AdminErrorCode, message: string, problems: readonly string[] = []) {
    super(message);
    this.name = "AdminError";
    this.code = code;
    this.problems = problems;
  }
}

export function isAdminError(error: unknown, code?: AdminErrorCode): error is AdminError {
  return error instanceof AdminError && (code === undefined || error.code === code);
}
