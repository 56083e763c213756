import * as Y from 'yjs';
import type { SyncSocket } from '../../client/sdk/syncSocket';
import { EVENTS } from '../../shared/protocol/messages';
import type { ErrorCode } from '../../shared/protocol/errors';

type Handler = (...args: unknown[]) => void;

/** One message the client emitted, with its ack callback when it asked for one. */
export interface Emitted {
  event: string;
  payload: unknown;
  ack: ((reply: unknown) => void) | null;
}

/**
 * A socket in memory, the one DocSync talks to in the unit tests: the test decides when it
 * connects or drops, sees every message the client emits (`emitted`, in order), and answers
 * each ack itself (`answer`), or lets `MemoryServer` answer from a real Y.Doc.
 */
export class MemorySocket implements SyncSocket {
  connected = false;
  readonly emitted: Emitted[] = [];
  private readonly handlers = new Map<string, Set<Handler>>();

  on(event: string, listener: Handler): this {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener: Handler): this {
    this.handlers.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : null;
    this.emitted.push({ event, payload: args[0], ack });
    return this;
  }

  connect(): void {
    this.connected = true;
    this.fire('connect');
  }

  drop(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }

  /** A message from the server. */
  fire(event: string, ...args: unknown[]): void {
    for (const h of [...(this.handlers.get(event) ?? [])]) h(...args);
  }

  /** The messages of one event emitted so far that still wait for their answer. */
  unanswered(event: string): Emitted[] {
    return this.emitted.filter((m) => m.event === event && m.ack !== null);
  }

  /** Answers the oldest unanswered message of `event`. */
  answer(event: string, reply: unknown): Emitted {
    const m = this.unanswered(event)[0];
    if (!m) throw new Error(`no ${event} waits for an answer`);
    const ack = m.ack!;
    m.ack = null;
    ack(reply);
    return m;
  }

  /** How many messages of `event` were emitted so far. */
  count(event: string): number {
    return this.emitted.filter((m) => m.event === event).length;
  }
}

export function refusal(code: ErrorCode): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message: code.toLowerCase() } };
}

/**
 * The server side, reduced to what DocSync sees: a document, a sequence number, join replies
 * computed from the client's state vector, and updates applied then acknowledged.
 */
export class MemoryServer {
  readonly doc = new Y.Doc();
  seq = 0;
  serverTime = new Date('2026-03-01T10:00:00.000Z');

  constructor(private readonly socket: MemorySocket) {}

  /** Answers the oldest join with what the client lacks. */
  answerJoin(): void {
    const m = this.socket.unanswered(EVENTS.join)[0];
    if (!m) throw new Error('no join waits for an answer');
    const { stateVector } = m.payload as { stateVector: Uint8Array };
    this.socket.answer(EVENTS.join, {
      ok: true,
      updates: [Y.encodeStateAsUpdate(this.doc, stateVector)],
      stateVector: Y.encodeStateVector(this.doc),
      seq: this.seq,
      awareness: null,
      serverTime: this.serverTime.toISOString(),
    });
  }

  /** Applies the oldest unanswered update and acknowledges it. */
  acceptUpdate(): Uint8Array {
    const m = this.socket.unanswered(EVENTS.update)[0];
    if (!m) throw new Error('no update waits for an answer');
    const { update } = m.payload as { update: Uint8Array };
    Y.applyUpdate(this.doc, update);
    this.socket.answer(EVENTS.update, { ok: true, seq: ++this.seq });
    return update;
  }

  /** Refuses the oldest unanswered update with `code`, changing nothing. */
  refuseUpdate(code: ErrorCode): void {
    this.socket.answer(EVENTS.update, refusal(code));
  }

  /** An edit of someone else, applied here and broadcast to the client. */
  broadcast(edit: (doc: Y.Doc) => void, docName: string): void {
    const before = Y.encodeStateVector(this.doc);
    edit(this.doc);
    this.socket.fire(EVENTS.update, { doc: docName, update: Y.encodeStateAsUpdate(this.doc, before), seq: ++this.seq });
  }
}
