import type { ErrorReply } from '../../../shared/protocol/messages';
import { toWireError } from '../../errors';
import type { Logger } from '../../logger';

export type Ack = (reply: unknown) => void;

/** socket.io passes the ack callback last; a client that sent none still gets errors as an event. */
export function splitAck(args: unknown[]): { payload: unknown; ack: Ack | null } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as Ack) : null;
  return { payload: args[0], ack };
}

export function errorReply(err: unknown, logger: Logger, context: Record<string, unknown>): ErrorReply {
  const error = toWireError(err);
  if (error.code === 'INTERNAL') logger.error({ ...context, err }, 'internal error on a socket message');
  else logger.debug({ ...context, code: error.code, message: error.message }, 'refused a socket message');
  return { ok: false, error };
}
