import * as decoding from 'lib0/decoding';
import { LIMITS } from '../../shared/protocol/limits';
import { AppError } from '../errors';
import type { ClientBindings } from './clientBindings';

/**
 * Presence may only speak for the sender: no state for a client id bound to another user in
 * this document, and a `name`, when given, must be the sender's display name. (The relay
 * itself keeps each connection to its own client ids and caps the size and count.)
 */
export function checkAwareness(bindings: ClientBindings, doc: string, update: Uint8Array, userId: string, displayName: string): void {
  if (update.length > LIMITS.maxAwarenessBytes) throw new AppError('PAYLOAD_TOO_LARGE', `awareness update over ${LIMITS.maxAwarenessBytes} bytes`);
  let states: Array<{ client: number; state: unknown }>;
  try {
    states = readStates(update);
  } catch (cause) {
    throw new AppError('AWARENESS_INVALID', 'the awareness update could not be decoded', undefined, cause);
  }
  for (const { client, state } of states) {
    const owner = bindings.owner(doc, client);
    if (owner !== undefined && owner !== userId) throw new AppError('AWARENESS_INVALID', `client id ${client} belongs to another user`);
    const name = state !== null && typeof state === 'object' ? (state as { name?: unknown }).name : undefined;
    if (name !== undefined && name !== displayName) throw new AppError('AWARENESS_INVALID', `presence must carry your own name (${JSON.stringify(displayName)})`);
  }
}

function readStates(update: Uint8Array): Array<{ client: number; state: unknown }> {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > 64) throw new Error('too many states');
  const out: Array<{ client: number; state: unknown }> = [];
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    out.push({ client, state: JSON.parse(decoding.readVarString(decoder)) as unknown });
  }
  return out;
}
