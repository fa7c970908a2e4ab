/**
 * Process exit codes, after BSD sysexits so that scripts and systemd can tell failures apart.
 * `config` is listed in the unit's RestartPreventExitStatus= so a typo does not restart forever.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 64,
  refused: 65,
  network: 69,
  auth: 77,
  config: 78,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends a command with a one-line reason and a chosen exit code. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "CommandError";
  }
}
