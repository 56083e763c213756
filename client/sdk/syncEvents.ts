import type * as Y from 'yjs';
import type { WireError } from '../../shared/protocol/errors';
import type { Refusal } from './docRebuild';

/** What a `DocSync` tells its views. */
export interface DocSyncEvents {
  synced(): void;
  pending(count: number): void;
  rejected(error: WireError, refusal: Refusal): void;
  /** The document was replaced by the server's state plus the edits still pending: views rebind to `doc`. */
  reset(doc: Y.Doc, previous: Y.Doc): void;
}

type Listener<K extends keyof DocSyncEvents> = DocSyncEvents[K];

/** The listeners of one `DocSync`, per event. */
export class SyncListeners {
  private readonly sets: { [K in keyof DocSyncEvents]: Set<Listener<K>> } = { synced: new Set(), pending: new Set(), rejected: new Set(), reset: new Set() };

  /** Adds a listener; returns its removal. */
  on<K extends keyof DocSyncEvents>(event: K, listener: Listener<K>): () => void {
    (this.sets[event] as Set<Listener<K>>).add(listener);
    return () => (this.sets[event] as Set<Listener<K>>).delete(listener);
  }

  emit<K extends keyof DocSyncEvents>(event: K, ...args: Parameters<Listener<K>>): void {
    for (const l of this.sets[event] as Set<(...a: Parameters<Listener<K>>) => void>) l(...args);
  }

  /** Resolves once `done()` holds: now, or at one of the next `event`s. */
  until(event: 'synced' | 'pending', done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on(event, () => {
        if (done()) resolve(void off());
      });
    });
  }
}
