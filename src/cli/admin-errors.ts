import type { AdminError, AdminErrorCode } from "../admin/index.js";
import { ExitCode } from "../core/exit-codes.js";

/** The exit code of each admin error: one code for one meaning (see src/core/exit-codes.ts). */
export const EXIT_BY_ADMIN_CODE: Record<AdminErrorCode, ExitCode> = {
  ADM_INVALID: ExitCode.usage,
  ADM_DIGITS_NEEDED: ExitCode.usage,
  ADM_NOT_FOUND: ExitCode.notFound,
  ADM_WRONG_STATE: ExitCode.conflict,
  ADM_CHANGED: ExitCode.conflict,
  ADM_SEVERAL_MATCH: ExitCode.conflict,
  ADM_UNMAPPED: ExitCode.conflict,
  ADM_OVERLAP: ExitCode.conflict,
  ADM_BAD_FILE: ExitCode.badInput,
  ADM_SERVER_CHECK: ExitCode.badInput,
  ADM_NO_TERMINAL: ExitCode.terminalUnreachable,
  ADM_NO_TAP: ExitCode.noTap,
  ADM_NO_SITE: ExitCode.siteUnreachable,
};

/** A refused file's every bad line on its own, then the error itself; returns the exit code. */
export function reportAdminError(error: AdminError, stderr: NodeJS.WritableStream): ExitCode {
  if (error.code === "ADM_BAD_FILE")
    for (const problem of error.problems) stderr.write(`  ${problem}\n`);
  stderr.write(`timeclock: ${error.message}\n`);
  return EXIT_BY_ADMIN_CODE[error.code];
}
