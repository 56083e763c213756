import type { DocName } from '../../shared/model/parts';
import type { Fanout } from '../fanout/fanout';
import type { Logger } from '../logger';
import type { JournalRecord } from '../storage/documentStore';
import type { RoomMetrics } from './roomMetrics';

/** Retry interval of a failed fan-out publish (failing is instant while Redis is away: no offline queue). */
const REPUBLISH_MS = 500;

/**
 * Hands a document's committed records to the other nodes (the fan-out), and keeps announcing
 * the newest one while the fan-out refuses them. Other nodes notice a lost message only from a
 * later seq (a gap) or from their own subscriber's resync; when only this node lost its link, or
 * nobody writes after the fault, neither comes. So the newest unpublished record goes out again
 * until the fan-out takes it: receivers skip what they have and catch up from the journal on the
 * gap it reveals.
 */
export class RoomPublisher {
  /** The newest record whose publish failed and that no later publish has covered yet. */
  private unannounced: JournalRecord | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly doc: DocName,
    private readonly fanout: Fanout,
    private readonly logger: Logger,
    private readonly metrics: RoomMetrics,
  ) {}

  publish(record: JournalRecord): void {
    const started = performance.now();
    this.fanout
      .publish({ kind: 'update', node: this.fanout.nodeId, doc: this.doc, seq: record.seq, update: record.update })
      .then(() => {
        this.metrics.publishSeconds.observe((performance.now() - started) / 1000);
        // A newer seq reveals any earlier loss to the receivers (gap -> catch-up).
        if (this.unannounced && record.seq >= this.unannounced.seq) this.unannounced = null;
      })
      .catch((err: unknown) => this.failed(record, err));
  }

  /** No more retries (a record already handed to `publish` still goes out). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private failed(record: JournalRecord, err: unknown): void {
    if (this.unannounced === null) this.logger.warn({ doc: this.doc, err: String(err) }, 'fan-out publish failed; retrying, and other nodes will catch up from the journal');
    if (this.unannounced === null || record.seq > this.unannounced.seq) this.unannounced = record;
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const latest = this.unannounced;
      if (latest && !this.closed) this.publish(latest);
    }, REPUBLISH_MS);
  }
}
