/**
 * A failure of the database, as the rest of the server sees it: the driver's own error is kept
 * as `cause` for the logs. (better-sqlite3 raises one error class per process, created in
 * whichever module context loaded it first; wrapping gives callers an ordinary Error.)
 */
export class StorageError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
    /** Set when the store knows, without a driver error to show, that the database is out of reach. */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function wrapStorageError(action: string, err: unknown): StorageError {
  const detail = err instanceof Object && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  return new StorageError(`${action}: ${detail}`, err);
}

/**
 * SQLSTATEs of a server that cannot serve right now, whatever the statement: class 08
 * (connection exception) is matched by prefix; 57P01-57P03: shutting down, crashed, starting;
 * 53300: no connection slot left.
 */
const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);
/** Node's socket errors: nothing listens, the link broke, the host is gone. */
const UNREACHABLE_ERRNOS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/**
 * SQLite's "another process holds the lock" after busy_timeout; node-postgres and pg-pool
 * report a lost or never-made connection with a plain Error and one of these messages.
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['SQLITE_BUSY']);
const UNREACHABLE_MESSAGES: readonly RegExp[] = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Query read timeout$/,
];

/**
 * Whether `err` (or any error it wraps, through `cause` or an AggregateError's `errors`) says
 * the database cannot be reached right now, as opposed to refusing what was asked: what the
 * transports answer as STORAGE_UNAVAILABLE, "try again shortly", nothing done. The one home of
 * this judgement; server/errors.ts applies it to every error a client is sent.
 */
export function isStorageUnreachable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 8) return false;
  if (err instanceof StorageError && err.unreachable) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code) || UNREACHABLE_ERRNOS.has(code) || UNAVAILABLE_CODES.has(code))) return true;
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((m) => m.test(message))) return true;
  const { cause, errors } = err as { cause?: unknown; errors?: unknown };
  if (cause !== undefined && isStorageUnreachable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isStorageUnreachable(e, depth + 1));
}
