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
  /** A status change of a decision (approve, reject, supersede, revoke) by someone the incident does not let decide. */
  DECISION_AUTHORITY: 'DECISION_AUTHORITY',
  /** The display name is held by another account (compared without case or accents). */
  NAME_TAKEN: 'NAME_TAKEN',
  /** A field that says where a record lives names another place (the metadata's id another incident). */
  UPDATE_WRONG_PLACE: 'UPDATE_WRONG_PLACE',
  /** A new record carries an id its part already has or had: ids are never reused. */
  UPDATE_DUPLICATE_ID: 'UPDATE_DUPLICATE_ID',
  /** A recorded time (a log entry's recordedAt, a record's createdAt) is not the server's, within a small window. */
  UPDATE_BAD_TIME: 'UPDATE_BAD_TIME',
  /** A budget is spent (bytes or records per minute, one record's size, incidents per day, documents per socket): this request is refused for good, not later. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** The update puts content where the shared reader does not look, or leaves a record it would not read (issue 13, item 2). */
  UPDATE_INVISIBLE: 'UPDATE_INVISIBLE',
  /** An incident is an exercise or a real incident from its creation on: the mark never changes (issue 17). */
  EXERCISE_MARK_FIXED: 'EXERCISE_MARK_FIXED',
  /** An exercise-only thing (animator or evaluator role, exercise clock, injects, observations) asked of a real incident. */
  NOT_AN_EXERCISE: 'NOT_AN_EXERCISE',
  /** The exercise clock cannot do that now (start twice, pause a paused clock, fire a fired inject). */
  EXERCISE_STATE: 'EXERCISE_STATE',
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
  DECISION_AUTHORITY: 403,
  NAME_TAKEN: 409,
  UPDATE_WRONG_PLACE: 422,
  UPDATE_DUPLICATE_ID: 409,
  UPDATE_BAD_TIME: 422,
  QUOTA_EXCEEDED: 429,
  UPDATE_INVISIBLE: 422,
  EXERCISE_MARK_FIXED: 422,
  NOT_AN_EXERCISE: 409,
  EXERCISE_STATE: 409,
};

/**
 * Why the server ended a client's access on purpose, sent as `session:end` just before it acts.
 * An end with one of these codes is final: the client does not reconnect (for
 * REMOVED_FROM_INCIDENT only that incident ends; the connection stays for the others). Any other
 * end of the connection is an accident (restart, network) and the client reconnects.
 */
export const SESSION_END_CODES = {
  /** The session was logged out (here or in another tab). */
  LOGGED_OUT: 'LOGGED_OUT',
  /** The session or API token is past its expiry, or no longer known to the server. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** The API token was revoked. */
  TOKEN_REVOKED: 'TOKEN_REVOKED',
  /** An administrator disabled the account. */
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  /** Removed from one incident: its documents are left, the connection stays for the others. */
  REMOVED_FROM_INCIDENT: 'REMOVED_FROM_INCIDENT',
  /** The (re)connection itself was refused: no valid credentials (a handshake `connect_error`). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
} as const;

export type SessionEndCode = (typeof SESSION_END_CODES)[keyof typeof SESSION_END_CODES];

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Field errors of a rejected body or message, as zod's flattened form. */
  details?: unknown;
}
