import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { DocNameSchema } from '../../shared/model/parts';
import type { FanoutMessage } from './fanout';

/**
 * Binary wire format of fan-out messages between nodes (Redis pub/sub payloads):
 *
 *   varUint format (1) | varUint kind (0 update, 1 awareness) | varString node | varString doc
 *   | varUint seq (updates only) | update bytes (the rest of the message)
 *
 * A header of a few dozen bytes in front of the raw Yjs bytes: no base64 or JSON inflation.
 * The format number lets a node in a rolling upgrade drop what it cannot read instead of
 * misreading it.
 */
const FORMAT = 1;
const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
const MAX_NODE_ID_LENGTH = 200;

/** A payload that is not a fan-out message of ours: the receiver drops it. */
export class FanoutDecodeError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`undecodable fan-out message: ${reason}`, options);
    this.name = 'FanoutDecodeError';
  }
}

export function encodeFanoutMessage(message: FanoutMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, FORMAT);
  encoding.writeVarUint(encoder, message.kind === 'update' ? KIND_UPDATE : KIND_AWARENESS);
  encoding.writeVarString(encoder, message.node);
  encoding.writeVarString(encoder, message.doc);
  if (message.kind === 'update') {
    // writeVarUint would silently mangle a negative or fractional number.
    if (!Number.isSafeInteger(message.seq) || message.seq < 1) throw new RangeError(`invalid seq ${message.seq}`);
    encoding.writeVarUint(encoder, message.seq);
  }
  encoding.writeUint8Array(encoder, message.update);
  return encoding.toUint8Array(encoder);
}

/** Decodes a payload, or throws FanoutDecodeError: it comes off the network, so trust nothing. */
export function decodeFanoutMessage(bytes: Uint8Array): FanoutMessage {
  try {
    return decode(bytes);
  } catch (err) {
    if (err instanceof FanoutDecodeError) throw err;
    // lib0 throws plain errors on truncation and oversized integers.
    throw new FanoutDecodeError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

function decode(bytes: Uint8Array): FanoutMessage {
  const decoder = decoding.createDecoder(bytes);
  const format = decoding.readVarUint(decoder);
  if (format !== FORMAT) throw new FanoutDecodeError(`unknown format ${format}`);
  const kind = decoding.readVarUint(decoder);
  const node = decoding.readVarString(decoder);
  if (node.length === 0 || node.length > MAX_NODE_ID_LENGTH) throw new FanoutDecodeError('bad node id');
  const doc = DocNameSchema.safeParse(decoding.readVarString(decoder));
  if (!doc.success) throw new FanoutDecodeError('bad document name');
  if (kind === KIND_UPDATE) {
    const seq = decoding.readVarUint(decoder);
    if (seq < 1) throw new FanoutDecodeError('bad seq');
    return { kind: 'update', node, doc: doc.data, seq, update: readTail(decoder) };
  }
  if (kind === KIND_AWARENESS) return { kind: 'awareness', node, doc: doc.data, update: readTail(decoder) };
  throw new FanoutDecodeError(`unknown kind ${kind}`);
}

/**
 * A copy, not a view: the payload may be a slice of a larger socket buffer, and rooms keep
 * updates around, which would pin that whole buffer in memory.
 */
function readTail(decoder: decoding.Decoder): Uint8Array {
  return decoding.readTailAsUint8Array(decoder).slice();
}
