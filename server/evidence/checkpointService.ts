import type { DocName } from '../../shared/model/parts';
import type { DocumentStore, StoredCheckpoint } from '../storage/documentStore';
import type { Logger } from '../logger';
import type { CheckpointKey } from './checkpointKey';
import { signCheckpoint } from './checkpoints';

/**
 * Signs a checkpoint of every document whose journal grew since its last checkpoint: every
 * `intervalMs`, on demand (before an export is printed), and once more at shutdown. Several
 * nodes sharing one PostgreSQL journal each sign with their own key; that is harmless.
 */
export class CheckpointService {
  private timer: NodeJS.Timeout | null = null;
  private lastSigned: Map<string, number> | null = null;
  private running: Promise<StoredCheckpoint[]> = Promise.resolve([]);
  private stopped = false;

  constructor(
    private readonly store: DocumentStore,
    readonly key: CheckpointKey,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      void this.signNow().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'checkpoint signing failed; will retry'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Signs what changed (only `docs` when given); resolves with the new checkpoints. One run at a time. */
  signNow(docs?: DocName[]): Promise<StoredCheckpoint[]> {
    const run = this.running.catch(() => []).then(() => this.signChanged(docs));
    this.running = run;
    return run;
  }

  /** Stops the timer and signs a last time, so the final state of a shutdown is covered. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.signNow().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'final checkpoint failed'));
  }

  private async signChanged(docs?: DocName[]): Promise<StoredCheckpoint[]> {
    const last = await this.loadLastSigned();
    const wanted = docs ? new Set<string>(docs) : null;
    const heads = (await this.store.journalHeads()).filter((h) => (wanted ? wanted.has(h.doc) : true));
    const signed: StoredCheckpoint[] = [];
    for (const head of heads) {
      if (head.seq === 0 || (last.get(head.doc) ?? 0) >= head.seq) continue;
      const checkpoint = signCheckpoint(this.key, head, this.now());
      await this.store.saveCheckpoint(checkpoint);
      last.set(head.doc, head.seq);
      signed.push(checkpoint);
    }
    if (signed.length > 0) this.logger.info({ count: signed.length, keyId: this.key.keyId }, 'checkpoints signed');
    return signed;
  }

  private async loadLastSigned(): Promise<Map<string, number>> {
    if (this.lastSigned) return this.lastSigned;
    const map = new Map<string, number>();
    for (const c of await this.store.listCheckpoints()) map.set(c.doc, Math.max(map.get(c.doc) ?? 0, c.seq));
    this.lastSigned = map;
    return map;
  }
}
