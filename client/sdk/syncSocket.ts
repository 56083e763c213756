/**
 * What `DocSync` needs of a connection: socket.io-client's `Socket` is one, and so is the small
 * in-memory socket of the unit tests. Messages are the protocol's (shared/protocol/messages.ts);
 * an ack is the last argument of `emit`, a function.
 */
export interface SyncSocket {
  readonly connected: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
}

/** Transaction origin of what came from the server, so it is never sent back. */
export const SERVER_ORIGIN = Symbol('server');
/** Transaction origin of the edits made again on a reset document: they are counted as they are made. */
export const REPLAY_ORIGIN = Symbol('replay');

/** The fields of a message from the server, unchecked: each is read as unknown. */
export function fieldsOf(raw: unknown): Record<string, unknown> {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
}
