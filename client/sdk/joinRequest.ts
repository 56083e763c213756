import { JOIN_ENCODINGS, JoinReplySchema } from '../../shared/protocol/messages';

/** What a copy may add to its join beyond the document and its state vector. */
export interface JoinExtras {
  /** It can read a compressed answer. */
  inflates: boolean;
  /** The id its edits go under, when it writes (bound at join: docs/PROTOCOL.md). */
  clientId: number | null;
}

/**
 * The join a copy sends. `plain`: without the optional fields, for a server of the previous
 * release met during a rolling upgrade (docs/DEPLOYMENT.md): it parses the join strictly and
 * answers BAD_MESSAGE to a field it does not know yet (`clientId`; before it, `accept`). The
 * plain join is what every release understands; what the fields bring is only faster.
 */
export function joinRequest(doc: string, stateVector: Uint8Array, extras: JoinExtras, plain: boolean): { doc: string; stateVector: Uint8Array; accept?: string[]; clientId?: number } {
  if (plain || !hasExtras(extras)) return { doc, stateVector };
  return { doc, stateVector, ...(extras.inflates ? { accept: [...JOIN_ENCODINGS] } : {}), ...(extras.clientId !== null ? { clientId: extras.clientId } : {}) };
}

/** Whether the join carries a field beyond the document and its state vector (else a plain join is the same join). */
export function hasExtras(extras: JoinExtras): boolean {
  return extras.inflates || extras.clientId !== null;
}

/** Whether a join's answer is BAD_MESSAGE: the one answer a plain join may cure. */
export function refusedAsMalformed(raw: unknown): boolean {
  // Most answers are the state (ok): not parsed here a second time.
  if ((raw as { ok?: unknown } | null)?.ok !== false) return false;
  const reply = JoinReplySchema.safeParse(raw);
  return reply.success && !reply.data.ok && reply.data.error.code === 'BAD_MESSAGE';
}
