import type { AuditEntry } from './auditLog';

interface Bucket {
  entry: AuditEntry;
  count: number;
  firstAt: Date;
}

/** Past this many sources in one window, the rest are counted together (per action). */
const MAX_SOURCES = 2_000;

/**
 * Refused joins and failed handshakes, counted rather than written one by one (issue 13,
 * item 5): per action, source (actor and address) and incident, the first of a window is
 * written at once (`detail.count` 1), the repeats as one row when the window ends
 * (`detail.count` n, `repeated`, the window's start): at most two rows per source per window. A client retrying a refused handshake a thousand times
 * a second writes one row a window, and past MAX_SOURCES distinct sources (many addresses) the
 * rest share one row per action: the table grows by a bounded number of rows per window.
 */
export class AuditAggregator {
  private buckets = new Map<string, Bucket>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly audit: { record(entry: AuditEntry): void },
    private readonly windowMs: number,
  ) {}

  record(entry: AuditEntry): void {
    let key = JSON.stringify([entry.action, entry.actor, entry.ip ?? null, entry.incidentId ?? null]);
    if (!this.buckets.has(key) && this.buckets.size >= MAX_SOURCES) {
      key = JSON.stringify([entry.action, 'many sources']);
      entry = { actor: null, action: entry.action, detail: { sources: 'many' } };
    }
    const bucket = this.buckets.get(key);
    if (bucket) bucket.count += 1;
    else {
      // The first of a window is written at once (an administrator watching sees it now); the
      // repeats are counted into one row when the window ends.
      this.buckets.set(key, { entry, count: 0, firstAt: new Date() });
      this.audit.record({ ...entry, detail: { ...(entry.detail ?? {}), count: 1 } });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Writes one row per bucket of the window that ends now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const buckets = this.buckets;
    this.buckets = new Map();
    for (const { entry, count, firstAt } of buckets.values()) {
      if (count === 0) continue;
      this.audit.record({ ...entry, detail: { ...(entry.detail ?? {}), count, repeated: true, since: firstAt.toISOString(), windowSeconds: this.windowMs / 1000 } });
    }
  }
}
