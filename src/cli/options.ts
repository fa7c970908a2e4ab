import { CommandError, ExitCode } from "../core/exit-codes.js";

/** A whole-number option from the command line, in digits only, within [min, max]; else exit 64. */
export function wholeNumberOption(value: string, option: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new CommandError(
      `${option} ${JSON.stringify(value)} must be a whole number from ${min} to ${max}`,
      ExitCode.usage,
    );
  }
  return number;
}
