/**
 * A failure of the database, as the rest of the server sees it: the driver's own error is kept
 * as `cause` for the logs. (better-sqlite3 raises one error class per process, created in
 * whichever module context loaded it first; wrapping gives callers an ordinary Error.)
 */
export class StorageError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'StorageError';
  }
}

export function wrapStorageError(action: string, err: unknown): StorageError {
  const detail = err instanceof Object && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  return new StorageError(`${action}: ${detail}`, err);
}
