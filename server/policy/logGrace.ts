import * as Y from 'yjs';

interface Insert {
  client: number;
  from: number;
  to: number;
  userId: string;
  at: number;
}

const MAX_PER_DOC = 10_000;
const EXPIRED_BATCH = 256;

/**
 * The log entries each user added in the last LOG_SEAL_GRACE_SECONDS, by Yjs id range. Within
 * that grace a writer may withdraw their own entry (a typo: withdraw and post again); after it,
 * or once the server restarted and forgot, the entry is sealed. The journal keeps every
 * version whatever happens.
 */
export class RecentLogInserts {
  private readonly docs = new Map<string, Insert[]>();

  constructor(private readonly graceMs: number) {}

  record(doc: string, client: number, range: { from: number; to: number }, userId: string): void {
    if (this.graceMs <= 0) return;
    const now = Date.now();
    let list = this.docs.get(doc);
    if (!list) {
      list = [];
      this.docs.set(doc, list);
    }
    list.push({ client, from: range.from, to: range.to, userId, at: now });
    // Inserts arrive in time order, so the expired ones are at the front. Dropping them in
    // batches keeps this O(1) per update on a busy log (withinGrace ignores stale ones anyway).
    let expired = 0;
    while (expired < list.length && now - list[expired]!.at >= this.graceMs) expired++;
    // Past the cap (a flood of entries within the grace), the oldest go in a batch too, not one
    // splice of a 10,000-long list per update.
    const over = list.length - MAX_PER_DOC;
    const drop = Math.max(expired >= EXPIRED_BATCH ? expired : 0, over > 0 ? Math.max(over, EXPIRED_BATCH) : 0);
    if (drop > 0) list.splice(0, drop);
  }

  /** Whether `item` lies wholly in a range `userId` inserted less than the grace period ago. */
  withinGrace(doc: string, item: Y.Item, userId: string): boolean {
    const now = Date.now();
    const start = item.id.clock;
    const end = start + item.length;
    return (this.docs.get(doc) ?? []).some((i) => i.userId === userId && i.client === item.id.client && i.from <= start && end <= i.to && now - i.at < this.graceMs);
  }

  forgetDoc(doc: string): void {
    this.docs.delete(doc);
  }
}
