/**
 * Every error a client can see carries one of these codes. Clients switch on the code;
 * the message is for people. Adding a code is a protocol change: document it in docs/PROTOCOL.md.
 */
export const ERROR_CODES = {
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_MESSAGE: 'BAD_MESSAGE',
  NOT_FOUND: 'NOT_FOUND',
  NOT_JOINED: 'NOT_JOINED',
  UPDATE_TOO_LARGE: 'UPDATE_TOO_LARGE',
  UPDATE_MALFORMED: 'UPDATE_MALFORMED',
  UPDATE_MISSING_DEPENDENCIES: 'UPDATE_MISSING_DEPENDENCIES',
  UPDATE_INVALID_CONTENT: 'UPDATE_INVALID_CONTENT',
  UPDATE_FORBIDDEN_DELETE: 'UPDATE_FORBIDDEN_DELETE',
  AWARENESS_INVALID: 'AWARENESS_INVALID',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  /** A unique thing exists already (an account with that e-mail). */
  CONFLICT: 'CONFLICT',
  /** The password was right; the account has TOTP enabled and the code is missing or wrong. */
  TOTP_REQUIRED: 'TOTP_REQUIRED',
  /** The update carries items under a Yjs client id bound to another user. */
  UPDATE_FORBIDDEN_CLIENT: 'UPDATE_FORBIDDEN_CLIENT',
  /** The update writes a record whose author field names someone other than the sender. */
  UPDATE_FORBIDDEN_AUTHOR: 'UPDATE_FORBIDDEN_AUTHOR',
  /** The update changes or deletes a sealed record (an approved decision, a log entry past its grace period). */
  UPDATE_SEALED: 'UPDATE_SEALED',
  /** The update puts content where the shared reader does not look, or leaves a record it would not read (issue 13, item 2). */
  UPDATE_INVISIBLE: 'UPDATE_INVISIBLE',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** HTTP status per code, used by the REST error formatter. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  BAD_MESSAGE: 400,
  NOT_FOUND: 404,
  NOT_JOINED: 409,
  UPDATE_TOO_LARGE: 413,
  UPDATE_MALFORMED: 400,
  UPDATE_MISSING_DEPENDENCIES: 409,
  UPDATE_INVALID_CONTENT: 422,
  UPDATE_FORBIDDEN_DELETE: 422,
  AWARENESS_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  STORAGE_UNAVAILABLE: 503,
  INTERNAL: 500,
  CONFLICT: 409,
  TOTP_REQUIRED: 401,
  UPDATE_FORBIDDEN_CLIENT: 403,
  UPDATE_FORBIDDEN_AUTHOR: 403,
  UPDATE_SEALED: 422,
  UPDATE_INVISIBLE: 422,
};

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Field errors of a rejected body or message, as zod's flattened form. */
  details?: unknown;
}
