import { ZodError } from 'zod';
import { ERROR_CODES, ErrorCode, WireError } from '../shared/protocol/errors';
import { isStorageUnreachable } from './storage/storageError';

/**
 * The one error type the server raises on purpose: a code from the shared map, a message for
 * people, optional details (zod field errors) and the cause, which is logged and never sent.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Turns anything thrown into what a client may see: a database out of reach becomes
 * STORAGE_UNAVAILABLE (retry shortly), other unknown failures INTERNAL; stack kept for logs only.
 */
export function toWireError(err: unknown): WireError {
  if (err instanceof AppError) return { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) };
  if (err instanceof ZodError) return { code: ERROR_CODES.BAD_MESSAGE, message: 'the message does not match the protocol', details: err.flatten() };
  if (isStorageUnreachable(err)) return { code: ERROR_CODES.STORAGE_UNAVAILABLE, message: 'the database cannot be reached: try again shortly' };
  return { code: ERROR_CODES.INTERNAL, message: 'internal error' };
}

export function badInput(err: ZodError, code: ErrorCode = ERROR_CODES.BAD_REQUEST): AppError {
  return new AppError(code, 'invalid input: ' + err.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; '), err.flatten());
}
