import { ApiError, quote } from "./reply.js";
import type { TimeCodec } from "./time-format.js";

/**
 * Reads a createtimeentry body as strictly as the real service plausibly does: every field of the
 * version's contract has its type, no field outside it is taken, and both versions name the time
 * type field differently. Shape problems are 400; an end not after the start is 422 (refused).
 */

export type ApiVersion = "v2.1" | "v1.1";

export interface EntryRequest {
  start: Date;
  end: Date;
  userEmail: string;
  timeTypeId: string;
  projectId: string | null;
  comment: string | null;
}

export const COMMENT_MAX_LENGTH = 1000;

export const TIME_TYPE_FIELDS = ["timetypeid", "timecategoryid"] as const;
export type TimeTypeField = (typeof TIME_TYPE_FIELDS)[number];

/**
 * The one name of the time type field a version takes. v2.1's is documented; v1.1's is not, so it
 * is the simulator's `v11TimeTypeField` option (default "timecategoryid", as the list is named).
 */
export function timeTypeField(
  version: ApiVersion,
  v11Field: TimeTypeField = "timecategoryid",
): TimeTypeField {
  return version === "v2.1" ? "timetypeid" : v11Field;
}

function fieldsOf(version: ApiVersion, typeField: TimeTypeField): readonly string[] {
  const common = ["starttime", "endtime", "useremail", typeField, "projectid"];
  return version === "v2.1" ? [...common, "comment"] : common;
}

function unknownFieldMessage(
  field: string,
  version: ApiVersion,
  typeField: TimeTypeField,
  allowed: readonly string[],
) {
  const hint =
    field === "comment" && version === "v1.1"
      ? " (comments exist only in v2.1)"
      : TIME_TYPE_FIELDS.some((name) => name === field)
        ? ` (${version} calls it ${quote(typeField)})`
        : "";
  return `unknown field ${quote(field)}${hint}; createtimeentry ${version} takes ${allowed.join(", ")}`;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) {
    throw new ApiError(400, `${field} is missing; it is required`);
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new ApiError(400, `${field} = ${quote(value)} must be a non-empty string`);
  }
  return value;
}

function requiredTime(body: Record<string, unknown>, field: string, codec: TimeCodec): Date {
  const value = body[field];
  if (value === undefined || value === null) {
    throw new ApiError(400, `${field} is missing; it is required, ${codec.description}`);
  }
  const parsed = codec.parse(value);
  if (!parsed.ok) throw new ApiError(400, `${field} ${parsed.problem}`);
  return parsed.instant;
}

function optionalProject(body: Record<string, unknown>): string | null {
  const value = body.projectid;
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.trim() === "") {
    throw new ApiError(
      400,
      `projectid = ${quote(value)} is not a project id; send a project's id, or null or nothing for no project`,
    );
  }
  return value;
}

function optionalComment(body: Record<string, unknown>): string | null {
  const value = body.comment;
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    throw new ApiError(400, `comment = ${quote(value)} must be a string`);
  }
  if (value.length > COMMENT_MAX_LENGTH) {
    throw new ApiError(
      400,
      `comment ${quote(value)} has ${value.length} characters; at most ${COMMENT_MAX_LENGTH} are allowed`,
    );
  }
  return value;
}

export function parseEntryRequest(
  record: Record<string, unknown>,
  version: ApiVersion,
  codec: TimeCodec,
  typeField: TimeTypeField = timeTypeField(version),
): EntryRequest {
  const allowed = fieldsOf(version, typeField);
  for (const field of Object.keys(record)) {
    if (!allowed.includes(field)) {
      throw new ApiError(400, unknownFieldMessage(field, version, typeField, allowed));
    }
  }
  const request: EntryRequest = {
    userEmail: requiredString(record, "useremail"),
    timeTypeId: requiredString(record, typeField),
    start: requiredTime(record, "starttime", codec),
    end: requiredTime(record, "endtime", codec),
    projectId: optionalProject(record),
    comment: version === "v2.1" ? optionalComment(record) : null,
  };
  if (request.end.getTime() <= request.start.getTime()) {
    throw new ApiError(
      422,
      `endtime ${quote(record.endtime)} is not after starttime ${quote(record.starttime)}; an entry must end after it starts`,
    );
  }
  return request;
}
