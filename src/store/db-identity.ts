import { statSync } from "node:fs";

/**
 * Which file the daemon's connection has open. SQLite keeps writing to an open file that was
 * deleted or replaced under it (rm, mv, a restore by hand), and every tap journalled after that
 * would be lost at the next start; comparing device and inode with what the path names now tells.
 */
export class DatabaseIdentity {
  readonly #path: string;
  readonly #dev: number;
  readonly #ino: number;

  constructor(path: string) {
    const stat = statSync(path);
    this.#path = path;
    this.#dev = stat.dev;
    this.#ino = stat.ino;
  }

  /** Why the path no longer names the open database, or undefined while it does. */
  problem(): string | undefined {
    let now: ReturnType<typeof statSync>;
    try {
      now = statSync(this.#path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return code === "ENOENT"
        ? `database ${this.#path} was deleted or moved away while the daemon had it open`
        : `database ${this.#path} cannot be looked at (${code})`;
    }
    if (now.dev !== this.#dev || now.ino !== this.#ino) {
      return `database ${this.#path} was replaced by another file while the daemon had it open`;
    }
    if (now.size === 0) return `database ${this.#path} was emptied to 0 bytes while the daemon ran`;
    return undefined;
  }
}
