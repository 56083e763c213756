import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { LIMITS } from '../../shared/protocol/limits';
import { AppError } from '../errors';

const MAX_CLIENTS_PER_SESSION = 8;

/**
 * Presence of one document: who is here and what they look at. The server relays awareness
 * updates, remembers which session speaks for which Yjs client ids (a session may not speak
 * for another's), and removes a session's states when it leaves.
 */
export class AwarenessRelay {
  readonly awareness: Awareness;
  private readonly owner = new Map<number, string>();

  constructor() {
    this.awareness = new Awareness(new Y.Doc());
    this.awareness.setLocalState(null);
  }

  /** Validates completely, then applies. Returns the update to relay to everyone else. */
  apply(update: Uint8Array, sessionId: string): Uint8Array {
    if (update.length > LIMITS.maxAwarenessBytes) throw new AppError('PAYLOAD_TOO_LARGE', `awareness update over ${LIMITS.maxAwarenessBytes} bytes`);
    const clients = readClients(update);
    const mine = [...this.owner].filter(([, s]) => s === sessionId).map(([c]) => c);
    for (const client of clients) {
      const current = this.owner.get(client);
      if (current !== undefined && current !== sessionId) throw new AppError('AWARENESS_INVALID', `client id ${client} belongs to another connection`);
      if (current === undefined && !mine.includes(client)) mine.push(client);
    }
    if (mine.length > MAX_CLIENTS_PER_SESSION) throw new AppError('AWARENESS_INVALID', 'too many client ids on one connection');
    for (const client of clients) this.owner.set(client, sessionId);
    applyAwarenessUpdate(this.awareness, update, sessionId);
    return update;
  }

  /** Removes a session's states; returns the update that tells the others, or null. */
  removeSession(sessionId: string): Uint8Array | null {
    const clients = [...this.owner].filter(([, s]) => s === sessionId).map(([c]) => c);
    if (clients.length === 0) return null;
    for (const c of clients) this.owner.delete(c);
    const present = clients.filter((c) => this.awareness.getStates().has(c));
    removeAwarenessStates(this.awareness, clients, 'leave');
    return present.length > 0 ? encodeAwarenessUpdate(this.awareness, clients) : null;
  }

  /** Applies an update relayed by another node (already validated there). */
  applyRemote(update: Uint8Array): void {
    try {
      readClients(update);
      applyAwarenessUpdate(this.awareness, update, 'remote');
    } catch {
      // A peer node never sends garbage; if it does, presence is not worth a crash.
    }
  }

  snapshot(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()];
    return clients.length > 0 ? encodeAwarenessUpdate(this.awareness, clients) : null;
  }

  destroy(): void {
    this.awareness.destroy();
  }
}

/** Decodes an awareness update fully (client ids, clocks, JSON states) without applying it. */
function readClients(update: Uint8Array): number[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > MAX_CLIENTS_PER_SESSION) throw new Error('too many states');
    const clients: number[] = [];
    for (let i = 0; i < count; i++) {
      clients.push(decoding.readVarUint(decoder));
      decoding.readVarUint(decoder);
      const state: unknown = JSON.parse(decoding.readVarString(decoder));
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('state must be an object or null');
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    return clients;
  } catch (cause) {
    throw new AppError('AWARENESS_INVALID', 'the awareness update could not be decoded', undefined, cause);
  }
}
