import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as z from "zod";

/**
 * The state file: read once at start, rewritten after every change. Writing a temporary file and
 * renaming it over the old one means a crash leaves either the old state or the new, never half.
 */

const instant = z.iso.datetime({ offset: true });

const persistedSchema = z.object({
  format: z.literal("timeclock-simulator-state"),
  version: z.literal(1),
  admin: z.object({ loginEmail: z.string().min(1), apiPassword: z.string().min(1) }),
  userEmails: z.array(z.string().min(1)),
  timeTypes: z.array(z.object({ id: z.string().min(1), name: z.string() })),
  projects: z.array(
    z.object({ id: z.string().min(1), name: z.string(), userEmails: z.array(z.string()) }),
  ),
  lockableEntries: z.boolean(),
  locks: z.record(z.string(), instant),
  entries: z.array(
    z.object({
      id: z.string().min(1),
      userEmail: z.string().min(1),
      start: instant,
      end: instant,
      timeTypeId: z.string().min(1),
      projectId: z.string().nullable(),
      comment: z.string().nullable(),
    }),
  ),
});

/** What a state file holds; instants as ISO 8601 strings. */
export type PersistedState = z.infer<typeof persistedSchema>;

/** The saved state, or undefined when the file does not exist yet. Throws naming the file. */
export function loadStateFile(path: string): PersistedState | undefined {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(
      `simulator state file ${JSON.stringify(path)} cannot be read as JSON (${(error as Error).message}); delete it to start from the seed`,
    );
  }
  const result = persistedSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(top level)"}: ${issue.message}`);
    throw new Error(
      `simulator state file ${JSON.stringify(path)} is not a simulator state (${problems.join("; ")}); delete it to start from the seed`,
    );
  }
  return result.data;
}

export function saveStateFile(path: string, state: PersistedState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
