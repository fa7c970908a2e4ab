import * as z from "zod";

/** Names the time type field of createtimeentry may have; v1.1's is not documented. */
export const TIME_TYPE_FIELDS = ["timetypeid", "timecategoryid"] as const;
export type TimeTypeField = (typeof TIME_TYPE_FIELDS)[number];

/** The field a version takes unless server.timeTypeField says otherwise. */
export function defaultTimeTypeField(apiVersion: "v2.1" | "v1.1"): TimeTypeField {
  return apiVersion === "v2.1" ? "timetypeid" : "timecategoryid";
}

/** What the client hands out: camelCase, instants as Dates, independent of the API version. */
export interface TimeType {
  id: string;
  name: string;
}

export interface GoodTimeUser {
  loginEmail: string;
}

export interface Project {
  id: string;
  name: string;
}

export interface TimeEntry {
  id: string;
  start: Date;
  end: Date;
  userEmail: string;
  timeTypeId: string;
  projectId: string | null;
  /** v2.1 only. */
  comment?: string;
  /** v2.1 only, and only where the account has lockable time entries. */
  locked?: boolean;
}

export interface NewTimeEntry {
  userEmail: string;
  start: Date;
  end: Date;
  timeTypeId: string;
  projectId: string | null;
  /** Sent with v2.1 only; v1.1 has no comments. */
  comment?: string;
}

/** Ids are UUID-shaped strings in the vendor's examples; numbers are accepted and kept as text. */
const id = z.union([z.string().min(1), z.number()]).transform(String);
const instant = z.union([z.string().min(1), z.number()]).transform(String);

export const namedListSchema = z.array(z.object({ id, name: z.string() }));

export const userListSchema = z.array(z.object({ loginemail: z.string().min(1) }));

const entryCommon = {
  id,
  starttime: instant,
  endtime: instant,
  useremail: z.string().min(1),
  projectid: id.nullish(),
};

export const entryListV21Schema = z.array(
  z.object({
    ...entryCommon,
    timetypeid: id,
    comment: z.string().nullish(),
    locked: z.boolean().optional(),
  }),
);

/** v1.1 lists the type under whichever name the server uses for it; either is read. */
export const entryListV11Schema = z.array(
  z
    .object({ ...entryCommon, timecategoryid: id.optional(), timetypeid: id.optional() })
    .transform((entry, ctx) => {
      const timeTypeId = entry.timecategoryid ?? entry.timetypeid;
      if (timeTypeId === undefined) {
        ctx.addIssue({ code: "custom", message: "has neither timecategoryid nor timetypeid" });
        return z.NEVER;
      }
      return { ...entry, timeTypeId };
    }),
);

/** The vendor documents `[{id}]`; a bare `{id}` is accepted as well. */
export const createdSchema = z.union([
  z.tuple([z.object({ id })], z.object({ id })).transform(([first]) => first),
  z.object({ id }),
]);
