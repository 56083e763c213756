import type { DocName } from '../../shared/model/parts';
import type { DocumentStore, Snapshot } from '../storage/documentStore';
import type { Logger } from '../logger';
import type { SnapshotCompactor } from './snapshotCompactor';

/** Below this a tail is cheap to replay, whatever the snapshot's size. */
export const SNAPSHOT_MIN_TAIL_BYTES = 256 * 1024;

/**
 * One room's snapshots, which keep its load time flat: one is taken when the journal tail
 * outgrows a quarter of the last snapshot. It is built from bytes, never from the live document:
 * the last snapshot and every record committed since, which make exactly what the document holds
 * (the room journals everything it applies), on the compactor's thread, so that no socket of the
 * node waits for it. One at a time; records committed meanwhile start the next tail.
 */
export class RoomSnapshots {
  /** The last snapshot's bytes (kept: the next one is built on them), null before the first. */
  private base: Uint8Array | null;
  private tail: Uint8Array[];
  private tailBytes: number;
  /** After a failure, the tail must grow this much more before the next try: a store that is away is not asked at every commit. */
  private retryAtBytes = 0;
  private taking: Promise<void> | null = null;

  constructor(
    private readonly doc: DocName,
    private readonly store: DocumentStore,
    private readonly compactor: SnapshotCompactor,
    private readonly logger: Logger,
    loaded: { snapshot: Snapshot | null; tail: Uint8Array[] },
  ) {
    this.base = loaded.snapshot?.update ?? null;
    this.tail = [...loaded.tail];
    this.tailBytes = this.tail.reduce((n, u) => n + u.length, 0);
  }

  /** A record the document now holds: committed here, by another node, or read back from the journal. */
  recorded(update: Uint8Array): void {
    this.tail.push(update);
    this.tailBytes += update.length;
  }

  /**
   * Takes a snapshot as of `seq` if one is due and none is being taken. `seq` is the last record
   * passed to `recorded`, with none missing before it.
   */
  maybeTake(seq: number): void {
    if (this.taking || this.tailBytes < Math.max(SNAPSHOT_MIN_TAIL_BYTES, (this.base?.length ?? 0) / 4, this.retryAtBytes)) return;
    const base = this.base;
    const tail = this.tail;
    const tailBytes = this.tailBytes;
    this.tail = [];
    this.tailBytes = 0;
    this.retryAtBytes = 0;
    this.taking = this.take(base, tail, tailBytes, seq).finally(() => {
      this.taking = null;
    });
  }

  /** Settles once the snapshot being taken, if any, is stored or has failed. */
  settled(): Promise<void> {
    return this.taking ?? Promise.resolve();
  }

  private async take(base: Uint8Array | null, tail: Uint8Array[], tailBytes: number, seq: number): Promise<void> {
    try {
      const snapshot = await this.compactor.compact(base, tail);
      await this.store.saveSnapshot(this.doc, { seq, ...snapshot });
      this.base = snapshot.update;
    } catch (err) {
      // The tail goes back before what came meanwhile: the next snapshot covers it all.
      this.tail = tail.concat(this.tail);
      this.tailBytes += tailBytes;
      this.retryAtBytes = this.tailBytes + SNAPSHOT_MIN_TAIL_BYTES;
      this.logger.warn({ doc: this.doc, err: String(err) }, 'snapshot failed; the journal still has everything');
    }
  }
}
