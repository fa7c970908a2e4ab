import { writeFileSync } from "node:fs";
import { CommandError, ExitCode } from "../core/exit-codes.js";

/** Writes an export; mode 600 because badge lists and time records are personal data. */
export function writeExportFile(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: 0o600 });
  } catch (error) {
    throw new CommandError(
      `cannot write ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose a writable path`,
      ExitCode.cannotWrite,
    );
  }
}
