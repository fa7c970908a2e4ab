/** The error `within` gives when the work did not finish in time. */
export class Deadline extends Error {
  override name = "Deadline";
}

/**
 * `work`'s result, or a Deadline error with `message` after `ms`; a late failure of `work` is
 * swallowed, since no one waits for it any more.
 */
export function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline(message)), ms);
  });
  work.catch(() => {});
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
