import type { z } from 'zod';
import { unpackUpdates } from '../../shared/protocol/joinEncoding';
import { JoinReplySchema } from '../../shared/protocol/messages';
import type { Inflater } from './inflate';

export type AcceptedJoin = Extract<z.infer<typeof JoinReplySchema>, { ok: true }>;

/** What DocSync reads of an accepted join answer here. */
interface JoinAnswerUpdates {
  updates: Uint8Array[];
  encoding?: 'deflate-raw';
}

/**
 * The updates of a join answer: as they came, or (compressed, `encoding: 'deflate-raw'`) inflated
 * and unframed (shared/protocol/joinEncoding.ts). Rejects when the answer is compressed and there
 * is no inflater (never advertised then) or its bytes do not inflate to a frame.
 */
export async function inflatedUpdates(answer: JoinAnswerUpdates, inflater: Inflater | null): Promise<Uint8Array[]> {
  const [deflated, ...rest] = answer.updates;
  if (!inflater || !deflated || rest.length > 0) throw new Error('a compressed join answer this copy cannot read');
  return unpackUpdates(await inflater(deflated));
}

/**
 * Reads a join answer (unchecked) and calls `answered` with its updates: at once when they are
 * plain (or the answer is a refusal: none, the caller reads the rest), after inflating when
 * compressed; `unreadable` when a compressed answer does not inflate to updates.
 */
export function readJoinUpdates(raw: unknown, inflater: Inflater | null, answered: (updates: Uint8Array[]) => void, unreadable: () => void): void {
  const parsed = JoinReplySchema.safeParse(raw);
  if (!parsed.success || !parsed.data.ok || !parsed.data.encoding) return answered(parsed.success && parsed.data.ok ? parsed.data.updates : []);
  void inflatedUpdates(parsed.data, inflater).then(answered, unreadable);
}

/**
 * The server's updates that arrive while a join is being answered: the server subscribes the
 * socket before reading the state it answers with, so with a compressed answer (deflated on the
 * server, inflated here, both asynchronous) broadcasts may come first. They are held, then
 * applied after the answer in the order they came; those the answer already had change nothing.
 */
export class HeldUpdates {
  private updates: Uint8Array[] | null = null;
  private seq = 0;

  /** A join was sent: hold from now on. */
  start(): void {
    this.updates = [];
    this.seq = 0;
  }

  /** Holds `update` if a join is being answered; otherwise drops it (not joined, none asked: a join will bring it). */
  hold(update: Uint8Array, seq: unknown): void {
    if (!this.updates) return;
    this.updates.push(update);
    if (typeof seq === 'number') this.seq = Math.max(this.seq, seq);
  }

  /** What was held, in order, and the highest seq among it; holding stops. */
  take(): { updates: Uint8Array[]; seq: number } {
    const taken = { updates: this.updates ?? [], seq: this.seq };
    this.stop();
    return taken;
  }

  stop(): void {
    this.updates = null;
    this.seq = 0;
  }
}
