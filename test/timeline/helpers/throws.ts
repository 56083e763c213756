/**
 * The message of what `fn` threw, or fails the test if it did not throw. Unlike toThrow, it
 * works for errors of another realm: once a jest worker has loaded better-sqlite3 for one test
 * file, its SqliteError stays that file's class, so `instanceof Error` fails in the next file.
 */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return String((err as { message?: unknown } | null)?.message ?? err);
  }
  throw new Error('expected the call to throw');
}

export async function rejectionMessage(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (err: unknown) => String((err as { message?: unknown } | null)?.message ?? err),
  );
}
