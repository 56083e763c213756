import type { ErrorRequestHandler } from 'express';
import { HTTP_STATUS } from '../../../shared/protocol/errors';
import { AppError, toWireError } from '../../errors';
import type { Logger } from '../../logger';

/**
 * How long a client should wait before retrying while the database is away: PostgreSQL restarts
 * in seconds, and a node's pool reconnects on the next request that needs it.
 */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** The one place REST errors are shaped: `{ error: { code, message, details? } }`, never a stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const mapped = fromExpress(err) ?? err;
    const error = toWireError(mapped);
    if (error.code === 'INTERNAL') logger.error({ err, path: req.path }, 'internal error on a request');
    if (error.code === 'STORAGE_UNAVAILABLE') {
      // 503, not 500: the request was fine and may be sent again; the cause is for the operator.
      logger.warn({ err: String(err instanceof AppError ? (err.cause ?? err) : err), method: req.method, path: req.path }, 'database unreachable; answered 503');
      res.setHeader('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
    }
    res.status(HTTP_STATUS[error.code]).json({ error });
  };
}

/** body-parser's own failures (bad JSON, too large) carry a `type`; give them our codes. */
function fromExpress(err: unknown): AppError | null {
  if (err instanceof URIError) return new AppError('BAD_REQUEST', 'malformed percent-encoding in the URL');
  if (typeof err !== 'object' || err === null || !('type' in err)) return null;
  const type = (err as { type: unknown }).type;
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'request body too large');
  if (type === 'entity.parse.failed') return new AppError('BAD_REQUEST', 'request body is not valid JSON');
  if (typeof type === 'string' && type.startsWith('encoding.')) return new AppError('BAD_REQUEST', 'unsupported body encoding');
  return null;
}
